import type { HomeView } from '../cache/home-view.ts';
import type { HassEvent } from '../protocol/home-assistant.ts';
import { SUBSCRIBE_ALLOWLIST } from '../upstream/subscribe-allowlist.ts';
import { scopedAreaIds, scopedDeviceIds, scopedRegistries } from './registry-lists.ts';

function idIn(data: Record<string, unknown>, key: string, ids: ReadonlySet<string>): boolean {
  const value = data[key];
  return typeof value === 'string' && ids.has(value);
}

/**
 * Whether a device with this scope may receive this (non-state) event: registry events only for
 * what the scope reaches, service events only for the domains it holds (and `homeassistant`),
 * the rest — which Home Assistant itself deems free of sensitive data — as they are.
 */
export function eventVisible(home: HomeView, scope: ReadonlySet<string>, event: HassEvent) {
  const data = event.data;
  switch (event.event_type) {
    case 'entity_registry_updated':
      return idIn(data, 'entity_id', scope) || idIn(data, 'old_entity_id', scope);
    case 'device_registry_updated':
      return idIn(data, 'device_id', scopedDeviceIds(home, scope));
    case 'area_registry_updated':
      return idIn(data, 'area_id', scopedAreaIds(home, scope));
    case 'floor_registry_updated': {
      const floors = new Set(scopedRegistries(home, scope).floors.map((f) => f.floor_id));
      return idIn(data, 'floor_id', floors);
    }
    case 'label_registry_updated': {
      const labels = new Set(scopedRegistries(home, scope).labels.map((l) => l.label_id));
      return idIn(data, 'label_id', labels);
    }
    case 'service_registered':
    case 'service_removed': {
      const domain = data.domain;
      return domain === 'homeassistant' || [...scope].some((id) => id.startsWith(`${domain}.`));
    }
    default:
      return SUBSCRIBE_ALLOWLIST.has(event.event_type);
  }
}
