/**
 * Writes a Home Assistant config directory that stays offline: only the integrations listed in
 * install.ts CONFIG_DOMAINS (plus those bootstrap always loads), no default_config, and an
 * onboarding store whose network-bound steps are already done.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDashboards } from './dashboards.ts';

/** A small custom integration with config/diagnostic entities (see hasync_ci/__init__.py). */
const CI_INTEGRATION = join(dirname(fileURLToPath(import.meta.url)), 'hasync_ci');

/** HA: homeassistant/components/onboarding/__init__.py STORAGE_KEY/STORAGE_VERSION, views.py STEPS. */
const ONBOARDING_STORE = {
  version: 4,
  minor_version: 1,
  key: 'onboarding',
  // Without core_config, met and radio_browser config flows would start and go online.
  data: { done: ['core_config', 'analytics', 'integration'] },
};

function configurationYaml(port: number): string {
  return `# Written by hasync/scripts/real-ha: offline, demo integration only.
homeassistant:
  name: HAsync CI
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  unit_system: metric
  time_zone: UTC
  currency: EUR
  country: NL
  language: en
http:
  server_host: 127.0.0.1
  server_port: ${port}
frontend:
demo:
# history and logbook (with the recorder they need): a sensor's more-info dialog shows history.
history:
logbook:
switch:
  - platform: hasync_ci
sensor:
  - platform: hasync_ci
logger:
  default: warning
  logs:
    homeassistant.bootstrap: info
    homeassistant.setup: info
`;
}

/**
 * Writes configuration.yaml, .storage/onboarding and a household dashboard (dashboards.ts) into
 * `dir` (created if needed).
 */
export function writeConfigDir(dir: string, port: number): void {
  mkdirSync(join(dir, '.storage'), { recursive: true });
  cpSync(CI_INTEGRATION, join(dir, 'custom_components', 'hasync_ci'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__'),
  });
  writeFileSync(join(dir, 'configuration.yaml'), configurationYaml(port));
  writeFileSync(
    join(dir, '.storage', 'onboarding'),
    `${JSON.stringify(ONBOARDING_STORE, null, 2)}\n`,
  );
  writeDashboards(join(dir, '.storage'));
}
