/** Wire shapes of the admin API (design section 3), as the UI reads them. */

export type LinkState = 'connected' | 'connecting' | 'disconnected' | 'demo';

/** A paired device as `GET /api/devices` lists it. */
export interface Device {
  id: string;
  name: string;
  type: string;
  created_at: string;
  last_seen_at: string | null;
  online: boolean;
  read_only: boolean;
  areas: string[];
  entities: string[];
  excluded: string[];
  floors: string[];
  labels: string[];
  domains: string[];
  /** Entities it sees but may not control, and whole domains of them. */
  view_only: string[];
  view_only_domains: string[];
  /** ISO 8601 (UTC); past it the device stops working until extended. */
  expires_at: string | null;
  /** null: any time; else windows in Home Assistant's time zone. */
  schedule: ScheduleWindow[] | null;
  /** Whether calls on `pin_domains` need the action PIN (never sent to the UI). */
  has_action_pin: boolean;
  pin_domains: string[];
  /** The household dashboard its Home Assistant frontend shows (`lovelace`: Overview); null: generated. */
  dashboard: string | null;
  /** What its wall-display screens do by themselves: screensaver and dimming. */
  display: DisplaySettings;
}

/** From `from` until `to` ("HH:MM", Home Assistant's clock) the screen runs at `brightness` %. */
export interface DimWindow {
  from: string;
  to: string;
  brightness: number;
}

export interface DisplaySettings {
  /** Idle seconds before the screensaver; 0: never. */
  screensaver_after_s: number;
  dim_schedule: DimWindow[];
}

/** What the admin can ask a device's open screens to do now. */
export type DisplayAction = 'reload' | 'identify';

/** One of Home Assistant's dashboards (`GET /api/dashboards`). */
export interface Dashboard {
  url_path: string;
  title: string;
  icon: string | null;
  mode: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** From `from` until `to` ("HH:MM") on these days; `to` ≤ `from` runs past midnight. */
export interface ScheduleWindow {
  days: Weekday[];
  from: string;
  to: string;
}

/** One device plus the entity ids it may see now. */
export interface DeviceWithScope extends Device {
  scope: string[];
}

/** The changeable parts of a device (`PATCH /api/devices/:id`). */
export interface DevicePatch {
  name?: string;
  read_only?: boolean;
  areas?: string[];
  entities?: string[];
  excluded?: string[];
  floors?: string[];
  labels?: string[];
  domains?: string[];
  view_only?: string[];
  view_only_domains?: string[];
  expires_at?: string | null;
  schedule?: ScheduleWindow[] | null;
  /** 4–8 digits; null removes it. */
  action_pin?: string | null;
  pin_domains?: string[];
  dashboard?: string | null;
  display?: Partial<DisplaySettings>;
}

/** A new pairing (`POST /api/pairings`): the PIN and code are shown once. */
export interface Pairing {
  id: string;
  pin: string;
  code: string;
  expires_at: string;
  pair_url: string;
}

/** `GET /api/pairings/:id`: whether a pairing was used. */
export interface PairingStatus {
  id: string;
  status: 'pending' | 'completed' | 'expired' | 'cancelled' | 'locked';
  device_id?: string;
  expires_at: string;
  /** Its PIN is disabled (too many wrong PINs from all clients); the QR code still pairs. */
  pin_locked?: boolean;
}

export interface PairingRequest {
  name?: string;
  areas?: string[];
  entities?: string[];
  /** A guest's end date (ISO 8601 with a zone, in the future): the paired device gets it. */
  expires_at?: string;
}

export interface Area {
  area_id: string;
  name: string;
  entity_count: number;
}

export interface Floor {
  floor_id: string;
  name: string;
  entity_count: number;
}

export interface Label {
  label_id: string;
  name: string;
  entity_count: number;
}

export interface Entity {
  entity_id: string;
  name: string;
  domain: string;
  area_id: string | null;
  state: string;
  /** Home Assistant's `unit_of_measurement` attribute, when the entity has one. */
  unit_of_measurement?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  device_id: string | null;
  /** The device's name now, or the last one it had before it was revoked. */
  device_name: string | null;
  pairing_id: string | null;
  detail: Record<string, unknown>;
}

export interface Status {
  ha_version: string | null;
  homeassistant: LinkState;
  entity_count: number;
  devices: { total: number; online: number };
  last_error: string | null;
}

export interface Health {
  status: string;
  version: string;
  uptime_s: number;
  db: string;
  homeassistant: LinkState;
  /** Set when storage is in trouble (full or read-only disk, unreadable database). */
  reason?: string;
}

/** Named Server-Sent Events from `GET /api/events` and their payloads. */
export interface ServerEvents {
  pairing_completed: { pairing_id: string; device_id: string; name: string };
  pairing_expired: { pairing_id: string; status: 'expired' | 'locked' };
  device_online: { device_id: string };
  device_offline: { device_id: string };
  device_updated: { device_id: string; name: string };
  device_revoked: { device_id: string };
  upstream: { state: LinkState; error?: string };
}

export const SERVER_EVENT_NAMES = [
  'pairing_completed',
  'pairing_expired',
  'device_online',
  'device_offline',
  'device_updated',
  'device_revoked',
  'upstream',
] as const satisfies readonly (keyof ServerEvents)[];
