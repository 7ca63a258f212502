// HA: homeassistant/auth/permissions/events.py SUBSCRIBE_ALLOWLIST
/**
 * The event types Home Assistant lets a non-admin user subscribe to. HAsync subscribes upstream to
 * each of them (state_changed through its state stream, the rest through the registry watcher,
 * which relays them as `upstream_event`), and the device gateway offers devices exactly these.
 * Home Assistant 2024.3 has the first fourteen plus `state_changed`; 2024.4 added floors, labels
 * and categories. Subscribing to a type an older Home Assistant never fires is harmless.
 */
export const SUBSCRIBE_ALLOWLIST: ReadonlySet<string> = new Set([
  'area_registry_updated',
  'component_loaded',
  'core_config_updated',
  'device_registry_updated',
  'entity_registry_updated',
  'repairs_issue_registry_updated',
  'lovelace_updated',
  'panels_updated',
  'recorder_5min_statistics_generated',
  'recorder_hourly_statistics_generated',
  'service_registered',
  'service_removed',
  'shopping_list_updated',
  'state_changed',
  'themes_updated',
  'label_registry_updated',
  'category_registry_updated',
  'floor_registry_updated',
]);
