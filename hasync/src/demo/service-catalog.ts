import type { HassService, HassServices } from '../protocol/home-assistant.ts';
import HA_DESCRIPTIONS from './ha-services.json' with { type: 'json' };
import { SCRIPTS } from './scripts.ts';
import { SERVICES } from './service-schemas.ts';

/**
 * Service descriptions as Home Assistant's `get_services` gives them
 * (helpers/service.py `async_get_all_descriptions`: each integration's services.yaml with its
 * translated names, `fields` with their selectors and `target` with its entity filters).
 * `ha-services.json` is Home Assistant 2024.3.3's own answer for the services the demo home
 * offers, copied verbatim (`notify.mobile_app_phone` as notify/legacy.py describes a notify
 * platform's service); each script is described by its own `fields`, without a target
 * (script/__init__.py `async_set_service_schema`).
 */
const DESCRIBED = HA_DESCRIPTIONS as unknown as Readonly<
  Record<string, Record<string, HassService>>
>;

function scriptDescriptions(): Record<string, HassService> {
  return Object.fromEntries(
    SCRIPTS.map((s): [string, HassService] => [
      s.objectId,
      { name: s.name, description: s.description, fields: { ...s.fields } },
    ]),
  );
}

function describe(domain: string, service: string): HassService {
  const copied = DESCRIBED[domain]?.[service] ?? scriptDescriptions()[service];
  if (!copied) throw new Error(`demo home: ${domain}.${service} has no description`);
  const out: HassService & { response?: { optional: boolean } } = structuredClone(copied);
  // helpers/service.py: `response` only for services that give one.
  const supports = SERVICES[domain]?.[service]?.supportsResponse;
  if (supports && supports !== 'none') out.response = { optional: supports === 'optional' };
  return out;
}

/** What `get_services` returns for the demo home. */
export function serviceCatalog(): HassServices {
  const catalog: HassServices = {};
  for (const [domain, services] of Object.entries(SERVICES)) {
    const described: Record<string, HassService> = {};
    for (const service of Object.keys(services)) described[service] = describe(domain, service);
    catalog[domain] = described;
  }
  return catalog;
}
