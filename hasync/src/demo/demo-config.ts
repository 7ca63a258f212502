import type { HassConfig } from '../protocol/home-assistant.ts';

const DEMO_CONFIG = {
  location_name: 'Demo Home',
  latitude: 52.3731,
  longitude: 4.8922,
  elevation: 2,
  radius: 100,
  unit_system: {
    length: 'km',
    accumulated_precipitation: 'mm',
    area: 'm²',
    mass: 'g',
    pressure: 'Pa',
    temperature: '°C',
    volume: 'L',
    wind_speed: 'm/s',
  },
  time_zone: 'Europe/Amsterdam',
  components: [
    'homeassistant',
    'light',
    'switch',
    'fan',
    'cover',
    'climate',
    'lock',
    'media_player',
    'input_boolean',
    'sensor',
    'binary_sensor',
    'person',
    'sun',
    'weather',
    'websocket_api',
    'api',
  ],
  config_dir: '/config',
  // core_config.py `Config.as_dict` keeps the legacy name beside the new one.
  whitelist_external_dirs: ['/config/www', '/media'],
  allowlist_external_dirs: ['/config/www', '/media'],
  allowlist_external_urls: [],
  config_source: 'storage',
  recovery_mode: false,
  safe_mode: false,
  state: 'RUNNING',
  external_url: null,
  internal_url: null,
  currency: 'EUR',
  country: 'NL',
  language: 'en',
  debug: false,
};

/** What `get_config` returns for the demo home (core_config.py `Config.as_dict`, 2025.x keys). */
export function demoConfig(version: string): HassConfig {
  return { ...DEMO_CONFIG, version };
}
