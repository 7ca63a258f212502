import type { HassServices } from 'home-assistant-js-websocket';

/**
 * Whether Home Assistant describes `domain.service` (and, when given, `field` among its fields),
 * as the device's `get_services` lists them. HAsync refuses any call or field it does not
 * describe (design 5a), so the kiosk offers only these.
 */
export type Describes = (domain: string, service: string, field?: string) => boolean;

export function describesFrom(services: HassServices): Describes {
  return (domain, service, field) => {
    const described = services[domain]?.[service];
    if (!described) return false;
    return field === undefined || field in (described.fields ?? {});
  };
}

/** Before `get_services` answered: nothing beyond what the tiles always did. */
export const DESCRIBES_NOTHING: Describes = () => false;
