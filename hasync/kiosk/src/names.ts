import type { HassEntity } from 'home-assistant-js-websocket';
import type { Placement } from './registries.ts';
import { friendlyName } from './state-text.ts';

/** HA: src/common/entity/strip_prefix_from_entity_name.ts */
const SUFFIXES = [' ', ': ', ' - '];

const hasUpperCase = (text: string): boolean => text.toLowerCase() !== text;

/**
 * `name` without a leading `prefix` (a device or area name) followed by a space, ": " or " - ",
 * with its first word capitalised unless it already has capitals; undefined when it does not
 * start with it or nothing would be left. Copies HA's stripPrefixFromEntityName.
 */
export function stripPrefix(name: string, prefix: string): string | undefined {
  const lowerName = name.toLowerCase();
  for (const suffix of SUFFIXES) {
    const start = `${prefix.toLowerCase()}${suffix}`;
    if (!lowerName.startsWith(start)) continue;
    const rest = name.substring(start.length);
    if (!rest.length) continue;
    const firstWord = rest.includes(' ') ? rest.slice(0, rest.indexOf(' ')) : '';
    return hasUpperCase(firstWord) ? rest : rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return undefined;
}

/** An area the device was not assigned (an entity added on its own) still gets a readable title. */
export function areaTitle(areaId: string, placement: Placement): string {
  const name = placement.areaNames.get(areaId);
  if (name) return name;
  const words = areaId.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The name a tile shows inside its area section, as HA's tile card in an area shows it: the
 * device name dropped from the front ("Living Room Thermostat Battery" → "Battery"), then the
 * area name ("Living Room Ceiling" → "Ceiling" under Living Room). An entity named just like its
 * area or device (a thermostat "Living Room") is called by its device ("Thermostat"), and a name
 * nothing can be dropped from stays whole. The full name stays in the accessible labels.
 */
export function tileName(entity: HassEntity, placement: Placement): string {
  const full = friendlyName(entity);
  const areaId = placement.areaOf.get(entity.entity_id);
  const area = areaId ? areaTitle(areaId, placement) : undefined;
  const device = placement.deviceNameOf.get(entity.entity_id);
  const withoutArea = (name: string) => (area ? stripPrefix(name, area) : undefined);
  const withoutDevice = device && device !== full ? stripPrefix(full, device) : undefined;
  if (withoutDevice) return withoutArea(withoutDevice) ?? withoutDevice;
  const short = withoutArea(full);
  if (short) return short;
  if (device && (full === device || full === area)) return withoutArea(device) ?? full;
  return full;
}
