import type { HassService, HassServiceField, HassServices } from '../protocol/home-assistant.ts';
import { SERVICES } from './service-schemas.ts';

const NUMBER = (min: number, max: number, step = 1): HassServiceField => ({
  required: false,
  selector: { number: { min, max, step } },
});

/** Fields worth describing; every other service takes only a target. */
const FIELDS: Record<string, Record<string, HassServiceField>> = {
  'light.turn_on': { brightness: NUMBER(0, 255), brightness_pct: NUMBER(0, 100) },
  'light.toggle': { brightness: NUMBER(0, 255), brightness_pct: NUMBER(0, 100) },
  'fan.turn_on': { percentage: NUMBER(0, 100) },
  'fan.set_percentage': { percentage: { ...NUMBER(0, 100), required: true } },
  'cover.set_cover_position': { position: { ...NUMBER(0, 100), required: true } },
  'climate.set_temperature': {
    temperature: NUMBER(7, 35, 0.5),
    hvac_mode: {
      required: false,
      selector: { select: { options: ['off', 'heat', 'cool', 'auto'] } },
    },
  },
  'climate.set_hvac_mode': {
    hvac_mode: {
      required: true,
      selector: { select: { options: ['off', 'heat', 'cool', 'auto'] } },
    },
  },
  'media_player.volume_set': { volume_level: { ...NUMBER(0, 1, 0.01), required: true } },
  'media_player.volume_mute': { is_volume_muted: { required: true, selector: { boolean: {} } } },
  'weather.get_forecasts': {
    type: {
      required: true,
      selector: {
        select: { options: ['daily', 'hourly', 'twice_daily'], translation_key: 'forecast_type' },
      },
    },
  },
};

function describe(domain: string, service: string): HassService {
  const out: HassService & { response?: { optional: boolean } } = {
    name: service.replaceAll('_', ' '),
    description: `${service.replaceAll('_', ' ')} (demo)`,
    fields: FIELDS[`${domain}.${service}`] ?? {},
  };
  out.target = { entity: [domain === 'homeassistant' ? {} : { domain: [domain] }] };
  // helpers/service.py `async_get_all_descriptions`: `response` only for services that give one.
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
