import type { HassService, HassServiceField, HassServices } from '../protocol/home-assistant.ts';
import { EFFECTS } from './service-effects.ts';

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
};

function describe(domain: string, service: string): HassService {
  const out: HassService = {
    name: service.replaceAll('_', ' '),
    description: `${service.replaceAll('_', ' ')} (demo)`,
    fields: FIELDS[`${domain}.${service}`] ?? {},
  };
  out.target = { entity: [{ domain: [domain] }] };
  return out;
}

/** What `get_services` returns for the demo home. */
export function serviceCatalog(): HassServices {
  const catalog: HassServices = {};
  for (const [domain, services] of Object.entries(EFFECTS)) {
    const described: Record<string, HassService> = {};
    for (const service of Object.keys(services)) {
      described[service] = describe(domain, service);
    }
    catalog[domain] = described;
  }
  const generic: Record<string, HassService> = {};
  for (const service of ['turn_on', 'turn_off', 'toggle']) {
    const out = describe('homeassistant', service);
    out.target = { entity: [{}] };
    generic[service] = out;
  }
  catalog.homeassistant = generic;
  return catalog;
}
