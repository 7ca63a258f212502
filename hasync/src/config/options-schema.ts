/**
 * The one description of HAsync's settings. It drives validation, defaults, the environment
 * variable names, and the documentation of the app options.
 */
export type Setting =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'string'; minLength: number }
  | { kind: 'url' };

export interface SettingSpec {
  /** Key in /data/options.json (app mode); absent for settings that are environment-only. */
  readonly option?: string;
  readonly env: string;
  readonly setting: Setting;
  readonly description: string;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error'] as const;

export const SETTINGS = {
  logLevel: {
    option: 'log_level',
    env: 'HASYNC_LOG_LEVEL',
    setting: { kind: 'enum', values: LOG_LEVELS },
    description: 'How much HAsync logs.',
  },
  pinTtlS: {
    option: 'pin_ttl_s',
    env: 'HASYNC_PIN_TTL_S',
    setting: { kind: 'int', min: 60, max: 3600 },
    description: 'Seconds a pairing PIN or QR code stays valid.',
  },
  maxDevices: {
    option: 'max_devices',
    env: 'HASYNC_MAX_DEVICES',
    setting: { kind: 'int', min: 1, max: 1000 },
    description: 'How many devices may be paired at once.',
  },
  auditRetentionDays: {
    option: 'audit_retention_days',
    env: 'HASYNC_AUDIT_RETENTION_DAYS',
    setting: { kind: 'int', min: 1, max: 3650 },
    description: 'Days the audit log keeps an entry.',
  },
  auditMaxRows: {
    option: 'audit_max_rows',
    env: 'HASYNC_AUDIT_MAX_ROWS',
    setting: { kind: 'int', min: 1000, max: 10_000_000 },
    description: 'Most entries the audit log keeps (the oldest go first).',
  },
  adminToken: {
    option: 'admin_token',
    env: 'HASYNC_ADMIN_TOKEN',
    setting: { kind: 'string', minLength: 16 },
    description: 'Bearer token for the admin API when it listens beyond loopback outside ingress.',
  },
  connectionsPerClient: {
    env: 'HASYNC_CONNECTIONS_PER_CLIENT',
    setting: { kind: 'int', min: 8, max: 10000 },
    description:
      'HTTP connections one client address may hold open on each listener (WebSockets excluded).',
  },
  adminPort: {
    env: 'HASYNC_ADMIN_PORT',
    setting: { kind: 'int', min: 0, max: 65535 },
    description: 'Admin listener port (0 picks a free port).',
  },
  devicePort: {
    env: 'HASYNC_DEVICE_PORT',
    setting: { kind: 'int', min: 0, max: 65535 },
    description: 'Device listener port (0 picks a free port).',
  },
  adminBind: {
    env: 'HASYNC_ADMIN_BIND',
    setting: { kind: 'string', minLength: 1 },
    description: 'Address the admin listener binds to.',
  },
  deviceBind: {
    env: 'HASYNC_DEVICE_BIND',
    setting: { kind: 'string', minLength: 1 },
    description: 'Address the device listener binds to.',
  },
  dataDir: {
    env: 'HASYNC_DATA_DIR',
    setting: { kind: 'string', minLength: 1 },
    description: 'Folder holding hasync.db.',
  },
  haUrl: {
    env: 'HASYNC_HA_URL',
    setting: { kind: 'url' },
    description: 'Home Assistant URL for standalone mode.',
  },
  haFrontendUrl: {
    option: 'ha_frontend_url',
    env: 'HASYNC_HA_FRONTEND_URL',
    setting: { kind: 'url' },
    description:
      "Home Assistant's own web server, whose frontend files the device port serves (app mode: " +
      'http://homeassistant:8123 on the internal network; standalone: HASYNC_HA_URL).',
  },
  publicUrl: {
    env: 'HASYNC_PUBLIC_URL',
    setting: { kind: 'url' },
    description:
      'The device port as a tablet on the network reaches it, used in pairing links and the QR ' +
      "code (default: app mode Home Assistant's address and the published port; otherwise this " +
      "machine's first non-loopback IPv4 address and the device port).",
  },
  haToken: {
    env: 'HASYNC_HA_TOKEN',
    setting: { kind: 'string', minLength: 1 },
    description: 'Long-lived access token for standalone mode.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
