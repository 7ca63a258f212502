/**
 * Gives the onboarded home areas with entities, through the registry commands an admin uses.
 * Some entities get their area through their DEVICE, others through their own registry entry;
 * one is hidden, one overrides its device's area, and a config and a diagnostic entity sit in
 * the Bedroom and Garage, so the suite can check what indirect (area/device) targets skip.
 * HA: homeassistant/components/config/area_registry.py, device_registry.py, entity_registry.py.
 */
import { note } from './common.ts';
import type { HaSocket } from './ha-api.ts';

interface Assignment {
  readonly entity: string;
  readonly area: string;
  /** Set the area on the entity's device (when it has one) instead of on the entity. */
  readonly viaDevice?: boolean;
  readonly hidden?: boolean;
}

/** Onboarding creates living_room, kitchen and bedroom (HA: onboarding/views.py DEFAULT_AREAS). */
const EXTRA_AREAS = ['Garage'];

// Locks and media players of the 2024.3.3 demo have no unique_id, hence no registry entry and no
// area; the update entities are config/diagnostic entities with devices of their own.
const ASSIGNMENTS: readonly Assignment[] = [
  { entity: 'light.kitchen_lights', area: 'kitchen', viaDevice: true },
  { entity: 'cover.kitchen_window', area: 'kitchen', viaDevice: true },
  { entity: 'sensor.carbon_monoxide', area: 'kitchen', viaDevice: true },
  { entity: 'fan.ceiling_fan', area: 'kitchen' },
  { entity: 'update.demo_update_no_install', area: 'kitchen', viaDevice: true }, // diagnostic
  { entity: 'light.living_room_rgbww_lights', area: 'living_room', viaDevice: true },
  { entity: 'light.ceiling_lights', area: 'living_room', viaDevice: true, hidden: true },
  { entity: 'cover.living_room_window', area: 'living_room', viaDevice: true },
  { entity: 'climate.hvac', area: 'living_room', viaDevice: true },
  { entity: 'fan.living_room_fan', area: 'living_room' },
  { entity: 'update.demo_living_room_bulb_update', area: 'living_room', viaDevice: true }, // config
  // The device sits in the Living Room, the entity itself in the Bedroom: the entity's wins.
  { entity: 'switch.ac', area: 'living_room', viaDevice: true },
  { entity: 'switch.ac', area: 'bedroom' },
  { entity: 'light.bed_light', area: 'bedroom', viaDevice: true },
  { entity: 'switch.decorative_lights', area: 'bedroom', viaDevice: true },
  // A config switch beside ordinary switches: an area target must leave it alone.
  { entity: 'switch.child_lock', area: 'bedroom' }, // config, no device
  // An area on the entity only, although it has a device (which stays without an area).
  { entity: 'cover.hall_window', area: 'bedroom' },
  { entity: 'cover.garage_door', area: 'garage', viaDevice: true },
  { entity: 'binary_sensor.basement_floor_wet', area: 'garage', viaDevice: true },

  { entity: 'sensor.garage_door_battery', area: 'garage' }, // diagnostic, no device
];

interface EntityEntry {
  entity_id: string;
  device_id: string | null;
}

async function ensureAreas(socket: HaSocket): Promise<void> {
  const areas = await socket.command<{ area_id: string; name: string }[]>(
    'config/area_registry/list',
  );
  for (const name of EXTRA_AREAS) {
    if (areas.some((area) => area.name === name)) continue;
    await socket.command('config/area_registry/create', { name });
  }
}

/** Creates the extra areas and assigns the entities; an absent entity is noted, not fatal. */
export async function seedAreas(socket: HaSocket): Promise<void> {
  await ensureAreas(socket);
  const entities = await socket.command<EntityEntry[]>('config/entity_registry/list');
  const byId = new Map(entities.map((entry) => [entry.entity_id, entry]));
  for (const assignment of ASSIGNMENTS) {
    const entry = byId.get(assignment.entity);
    if (!entry) {
      note(`seed: ${assignment.entity} is not in the entity registry; skipped`);
      continue;
    }
    if (assignment.viaDevice && entry.device_id) {
      await socket.command('config/device_registry/update', {
        device_id: entry.device_id,
        area_id: assignment.area,
      });
    } else {
      await socket.command('config/entity_registry/update', {
        entity_id: assignment.entity,
        area_id: assignment.area,
        ...(assignment.hidden ? { hidden_by: 'user' } : {}),
      });
    }
    if (assignment.hidden && assignment.viaDevice && entry.device_id)
      await socket.command('config/entity_registry/update', {
        entity_id: assignment.entity,
        hidden_by: 'user',
      });
  }
}
