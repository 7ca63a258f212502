import { HasyncError } from '../shared/errors.ts';
import { type CommandContext, type Message, REPLIED, type SessionHost } from './commands.ts';
import { haError } from './ha-error.ts';

/**
 * The frontend's commands as Home Assistant 2024.3.3 answers them with `frontend:` and the demo
 * loaded (no themes, no custom cards, no history/logbook/map), so the gateway's forwarding can be
 * tested against the demo home as against real Home Assistant.
 */

/** HA: components/frontend/__init__.py Panel.to_response */
function panel(name: string, options: { icon?: string; title?: string; admin?: boolean } = {}) {
  return {
    component_name: name,
    icon: options.icon ?? null,
    title: options.title ?? null,
    config: name === 'lovelace' ? { mode: 'storage' } : null,
    url_path: name,
    require_admin: options.admin ?? false,
    config_panel_domain: null,
  };
}

// HA: frontend/__init__.py async_setup (profile, developer-tools), lovelace/__init__.py
// async_setup (lovelace, storage mode), config/__init__.py async_setup (config), in that order.
const PANELS = [
  panel('lovelace'),
  panel('config', { icon: 'hass:cog', title: 'config', admin: true }),
  panel('profile'),
  panel('developer-tools', { icon: 'hass:hammer', title: 'developer_tools', admin: true }),
];

/** A few domains' `entity_component` icons, from their icons.json in Home Assistant 2024.3.3. */
const ENTITY_COMPONENT_ICONS: Record<string, unknown> = {
  light: { _: { default: 'mdi:lightbulb' } },
  switch: {
    _: { default: 'mdi:toggle-switch-variant', state: { off: 'mdi:toggle-switch-variant-off' } },
  },
  lock: { _: { default: 'mdi:lock', state: { unlocked: 'mdi:lock-open' } } },
  sensor: { _: { default: 'mdi:eye' } },
};

/** HA: frontend/__init__.py websocket_get_icons (icon.py async_get_icons) — other categories: none. */
function icons(msg: Message) {
  if (msg.category !== 'entity_component') return { resources: {} };
  const wanted = msg.integration as string[] | undefined;
  return {
    resources: Object.fromEntries(
      Object.entries(ENTITY_COMPONENT_ICONS).filter(
        ([domain]) => !wanted || wanted.includes(domain),
      ),
    ),
  };
}

/** HA: frontend/__init__.py websocket_get_translations — flattened `component.<domain>.…` keys. */
function translations(msg: Message) {
  if (msg.category !== 'title') return { resources: {} };
  return { resources: { 'component.light.title': 'Light', 'component.lock.title': 'Lock' } };
}

/** HA: frontend/storage.py — one store per user, in memory here. */
const USER_DATA = new WeakMap<SessionHost, Map<string, Record<string, unknown>>>();

function userData(ctx: CommandContext): Record<string, unknown> {
  let users = USER_DATA.get(ctx.host);
  if (!users) {
    users = new Map();
    USER_DATA.set(ctx.host, users);
  }
  let data = users.get(ctx.user.id);
  if (!data) {
    data = {};
    users.set(ctx.user.id, data);
  }
  return data;
}

/**
 * HA: lovelace/websocket.py websocket_lovelace_config, _handle_errors — storage mode: an unknown
 * url_path, or nothing saved yet (the default dashboard), is `config_not_found`.
 */
function lovelaceConfig(ctx: CommandContext, msg: Message): unknown {
  const urlPath = (msg.url_path as string | null | undefined) ?? null;
  if (!ctx.host.dashboards.has(urlPath))
    throw haError('config_not_found', `Unknown config specified: ${String(urlPath)}`);
  const config = ctx.host.dashboards.config(urlPath);
  if (config === undefined) throw haError('config_not_found', 'No config found.');
  return config;
}

/** HA: persistent_notification/__init__.py websocket_subscribe_notifications — none exist. */
function subscribeNotifications(ctx: CommandContext, msg: Message) {
  // Registered under an event type the demo never fires, so unsubscribe_events finds it.
  ctx.host.publisher.subscribeEvents(ctx.session, msg.id, 'persistent_notifications_updated');
  ctx.session.send(
    JSON.stringify({ id: msg.id, type: 'event', event: { type: 'current', notifications: {} } }),
  );
  return REPLIED;
}

/** HA: sensor/const.py — every SensorDeviceClass but date, enum and timestamp (2024.3.3). */
const NUMERIC_DEVICE_CLASSES = [
  'apparent_power',
  'aqi',
  'atmospheric_pressure',
  'battery',
  'carbon_dioxide',
  'carbon_monoxide',
  'current',
  'data_rate',
  'data_size',
  'distance',
  'duration',
  'energy',
  'energy_storage',
  'frequency',
  'gas',
  'humidity',
  'illuminance',
  'irradiance',
  'moisture',
  'monetary',
  'nitrogen_dioxide',
  'nitrogen_monoxide',
  'nitrous_oxide',
  'ozone',
  'ph',
  'pm1',
  'pm10',
  'pm25',
  'power',
  'power_factor',
  'precipitation',
  'precipitation_intensity',
  'pressure',
  'reactive_power',
  'signal_strength',
  'sound_pressure',
  'speed',
  'sulphur_dioxide',
  'temperature',
  'volatile_organic_compounds',
  'volatile_organic_compounds_parts',
  'voltage',
  'volume',
  'volume_flow_rate',
  'volume_storage',
  'water',
  'weight',
  'wind_speed',
];

/** HA: config/entity_registry.py websocket_get_entity — the entry's `extended_dict`. */
function entityEntry(ctx: CommandContext, msg: Message) {
  const entry = ctx.host.model.registry.entities.get(msg.entity_id as string);
  if (!entry) throw haError('not_found', 'Entity not found');
  const deviceClass = ctx.host.model.states.get(entry.entity_id)?.attributes.device_class;
  return {
    ...entry,
    aliases: [],
    capabilities: null,
    device_class: null,
    original_device_class: typeof deviceClass === 'string' ? deviceClass : null,
    original_icon: null,
  };
}

/** HA: websocket_api/decorators.py require_admin; the demo runs no scripts or triggers. */
function adminOnly(ctx: CommandContext): never {
  if (!ctx.user.is_admin) throw new HasyncError('unauthorized', 'Unauthorized');
  throw haError('home_assistant_error', 'Not simulated by the demo home');
}

export const FRONTEND_COMMANDS: Record<string, (ctx: CommandContext, msg: Message) => unknown> = {
  // HA: frontend/__init__.py websocket_get_panels — admin panels only for admins.
  get_panels: (ctx) =>
    Object.fromEntries(
      PANELS.filter((p) => ctx.user.is_admin || !p.require_admin).map((p) => [p.url_path, p]),
    ),
  // HA: frontend/__init__.py websocket_get_themes (no themes configured)
  'frontend/get_themes': () => ({ themes: {}, default_theme: 'default', default_dark_theme: null }),
  'frontend/get_icons': (_ctx, msg) => icons(msg),
  'frontend/get_translations': (_ctx, msg) => translations(msg),
  // HA: lovelace/websocket.py websocket_lovelace_resources (storage mode, none added)
  'lovelace/resources': () => [],
  'lovelace/config': lovelaceConfig,
  // HA: lovelace/websocket.py websocket_lovelace_dashboards — the stored dashboards' entries.
  'lovelace/dashboards/list': (ctx) => ctx.host.dashboards.list(),
  // HA: frontend/storage.py websocket_get_user_data, websocket_set_user_data
  'frontend/get_user_data': (ctx, msg) => {
    const data = userData(ctx);
    return { value: 'key' in msg ? (data[msg.key as string] ?? null) : data };
  },
  'frontend/set_user_data': (ctx, msg) => {
    userData(ctx)[msg.key as string] = msg.value;
    return null;
  },
  // HA: repairs/websocket_api.py ws_list_issues — the demo raises no issues.
  'repairs/list_issues': () => ({ issues: [] }),
  'persistent_notification/subscribe': subscribeNotifications,
  // HA: sensor/websocket_api.py ws_numeric_device_classes (the demo has no recorder: no recorder/info)
  'sensor/numeric_device_classes': () => ({ numeric_device_classes: NUMERIC_DEVICE_CLASSES }),
  'config/entity_registry/get': entityEntry,
  // HA: websocket_api/commands.py handle_subscribe_trigger, handle_execute_script, handle_fire_event
  subscribe_trigger: adminOnly,
  execute_script: adminOnly,
  fire_event: adminOnly,
};
