import type { HassState } from '../protocol/home-assistant.ts';

/**
 * A state as a device may see it. Attributes that list other entities (a group's members, a media
 * player's group, a person's trackers, a zone's persons) keep only the entities in the device's
 * scope; the `access_token` of cameras and media players is dropped, and an `entity_picture` that
 * points at Home Assistant's own image proxies is rewritten by `picture` to HAsync's, so a device
 * never holds a credential of Home Assistant. Pure: states without such attributes come back as
 * they are (the same object), so Home Assistant's wire form is kept wherever nothing needs hiding.
 */

/** Attributes whose value is a list of entity ids (HA: group, media_player, person, zone). */
const ENTITY_LIST_ATTRIBUTES = ['entity_id', 'group_members', 'device_trackers', 'persons'];
const HA_PICTURE = /^\/api\/(camera_proxy|camera_proxy_stream|media_player_proxy|image_proxy)\//;

/** Rewrites Home Assistant's image URL of an entity to one a device may use. */
export type PictureRewriter = (entityId: string, url: string) => string;

export function needsScoping(state: HassState | undefined): boolean {
  if (!state) return false;
  const attributes = state.attributes;
  if ('access_token' in attributes) return true;
  const picture = attributes.entity_picture;
  if (typeof picture === 'string' && HA_PICTURE.test(picture)) return true;
  return ENTITY_LIST_ATTRIBUTES.some((key) => Array.isArray(attributes[key]));
}

export function scopeState(
  state: HassState,
  scope: ReadonlySet<string>,
  picture: PictureRewriter,
): HassState {
  if (!needsScoping(state)) return state;
  const attributes: Record<string, unknown> = { ...state.attributes };
  delete attributes.access_token;
  for (const key of ENTITY_LIST_ATTRIBUTES) {
    const value = attributes[key];
    if (Array.isArray(value)) attributes[key] = value.filter((id) => scope.has(String(id)));
  }
  const url = attributes.entity_picture;
  if (typeof url === 'string' && HA_PICTURE.test(url)) {
    attributes.entity_picture = picture(state.entity_id, url);
  }
  return { ...state, attributes };
}
