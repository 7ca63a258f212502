import type { Device } from '../../api/types.ts';

/** How a name is compared: two devices whose names differ only in case or spaces look the same. */
const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** Names shared by more than one device (as the first of them spells it), in list order. */
export function sameNames(devices: readonly Device[]): string[] {
  const seen = new Map<string, { name: string; count: number }>();
  for (const device of devices) {
    const entry = seen.get(key(device.name));
    if (entry) entry.count += 1;
    else seen.set(key(device.name), { name: device.name, count: 1 });
  }
  return [...seen.values()].filter((entry) => entry.count > 1).map((entry) => entry.name);
}

/** Whether this device shares its name with another one. */
export function hasSameName(device: Device, shared: readonly string[]): boolean {
  return shared.some((name) => key(name) === key(device.name));
}
