import type { HassEntity } from 'home-assistant-js-websocket';
import { apiBase } from './device-store.ts';
import { h } from './dom.ts';

/** How often a camera's still refreshes. HA: src/components/ha-camera-stream.ts / hui-image (10 s). */
export const CAMERA_REFRESH_MS = 10_000;

/**
 * A camera's snapshot, refreshed every 10 seconds while the page is visible. The picture comes
 * from `entity_picture`, which HAsync has already pointed at its scoped image proxy with a picture
 * token; the device token goes along as well, so a still whose token window has passed (HAsync
 * rotates them as Home Assistant does) still loads. Drawn from a blob, so no token sits in the
 * page's `<img src>`.
 */
export class CameraSnapshot {
  readonly el: HTMLElement;
  readonly #img = h('img', { class: 'snapshot', alt: '' });
  readonly #note = h('span', { class: 'snapshot-note' });
  readonly #token: string;
  #picture: string | undefined;
  #url: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #loads = 0;

  constructor(entity: HassEntity, token: string, big = false) {
    this.#token = token;
    this.el = h('div', { class: big ? 'camera big' : 'camera' }, this.#img, this.#note);
    this.#img.alt = `${String(entity.attributes.friendly_name ?? entity.entity_id)}, latest picture`;
    this.update(entity);
    this.#timer = setInterval(() => {
      if (!document.hidden) void this.#load();
    }, CAMERA_REFRESH_MS);
  }

  update(entity: HassEntity): void {
    const picture = entity.attributes.entity_picture;
    const next =
      typeof picture === 'string' && entity.state !== 'unavailable' ? picture : undefined;
    if (next === this.#picture) return;
    this.#picture = next;
    void this.#load();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#url) URL.revokeObjectURL(this.#url);
  }

  async #load(): Promise<void> {
    const picture = this.#picture;
    if (!picture) return this.#show(undefined, 'No picture');
    const load = ++this.#loads;
    try {
      const res = await fetch(`${apiBase()}${picture}`, {
        headers: { authorization: `Bearer ${this.#token}` },
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(String(res.status));
      const blob = await res.blob();
      if (load === this.#loads) this.#show(URL.createObjectURL(blob), '');
    } catch {
      if (load === this.#loads) this.#show(undefined, 'No picture');
    }
  }

  #show(url: string | undefined, note: string): void {
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = url;
    if (url) this.#img.src = url;
    else this.#img.removeAttribute('src');
    this.#img.hidden = !url;
    this.#note.textContent = note;
    this.el.dataset.loads = String(this.#loads);
  }
}
