/** What the kiosk keeps in the browser after pairing. */
export interface StoredDevice {
  readonly device_id: string;
  readonly token: string;
  readonly name: string;
}

const KEY = 'hasync.kiosk.device';

export function loadDevice(): StoredDevice | undefined {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? 'null') as StoredDevice | null;
    return parsed && typeof parsed.token === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveDevice(device: StoredDevice): void {
  localStorage.setItem(KEY, JSON.stringify(device));
}

export function forgetDevice(): void {
  localStorage.removeItem(KEY);
}

/**
 * The base URL of HAsync's device API: the folder this page was loaded from (its parent when that
 * is `kiosk/`, where the device port puts the kiosk beside Home Assistant's frontend), so the
 * kiosk works on any host and port and behind a reverse-proxy prefix.
 */
export function apiBase(): string {
  const folder = new URL('.', location.href);
  const base = folder.pathname.endsWith('/kiosk/') ? new URL('..', folder) : folder;
  return base.href.replace(/\/$/, '');
}
