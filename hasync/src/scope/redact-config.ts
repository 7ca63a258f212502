import type { HassConfig } from '../protocol/home-assistant.ts';
import { domainOf } from '../protocol/home-assistant.ts';

/**
 * Home Assistant's config (`get_config`, `/api/config`) as a device may see it: the same keys and
 * value types, so clients parse it unchanged, but no coordinates, no paths, no allow-lists, no
 * URLs of the home, and only the integrations of the domains in the device's scope (plus history
 * and logbook, which HAsync serves scoped, so the frontend offers them). Units, time
 * zone, language, version and state — what a client needs to show and to connect — are kept.
 */
const REDACTED: Record<string, unknown> = {
  latitude: 0,
  longitude: 0,
  elevation: 0,
  radius: 0,
  config_dir: '',
  whitelist_external_dirs: [],
  allowlist_external_dirs: [],
  allowlist_external_urls: [],
  external_url: null,
  internal_url: null,
};

/** Integrations whose commands HAsync serves to a device, scoped (history and logbook streams). */
const SERVED_SCOPED = ['history', 'logbook'];

export function redactConfig(config: HassConfig, scope: ReadonlySet<string>): HassConfig {
  const domains = new Set([...[...scope].map(domainOf), ...SERVED_SCOPED]);
  const out: HassConfig = { ...config };
  for (const [key, value] of Object.entries(REDACTED)) {
    if (key in out) out[key] = value;
  }
  out.components = config.components.filter((component) => domains.has(component));
  return out;
}
