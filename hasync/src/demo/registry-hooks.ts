import { HasyncError } from '../shared/errors.ts';
import { nowSeconds as now } from './home-model.ts';
import type { Publisher } from './publisher.ts';
import type { DemoArea, DemoDevice, DemoEntityEntry, DemoRegistry } from './registry.ts';
import {
  type EntityEntrySpec,
  type LabelSpec,
  makeArea,
  makeEntityEntry,
  makeFloor,
  makeLabel,
} from './registry-entries.ts';

/**
 * Changes to the demo home's registries, each followed by the `*_registry_updated` event Home
 * Assistant fires (`action` create/update/remove, and for updates the old values in `changes`).
 */
export class RegistryHooks {
  readonly #reg: DemoRegistry;
  readonly #publisher: Publisher;

  constructor(reg: DemoRegistry, publisher: Publisher) {
    this.#reg = reg;
    this.#publisher = publisher;
  }

  createArea(areaId: string, name: string): DemoArea {
    const area = makeArea(areaId, name, null, now());
    this.#reg.areas.set(areaId, area);
    this.#publisher.fireEvent('area_registry_updated', { action: 'create', area_id: areaId });
    return area;
  }

  updateArea(areaId: string, changes: Partial<DemoArea>): DemoArea {
    const old = this.#reg.areas.get(areaId);
    if (!old) throw new HasyncError('not_found', `no area ${areaId}`);
    const next = { ...old, ...changes, area_id: areaId, modified_at: now() };
    this.#reg.areas.set(areaId, next);
    this.#publisher.fireEvent('area_registry_updated', { action: 'update', area_id: areaId });
    return next;
  }

  /** helpers/floor_registry.py: `floor_registry_updated` with `{action, floor_id}`. */
  createFloor(floorId: string, name: string, level: number | null = null): void {
    this.#reg.floors.set(floorId, makeFloor(floorId, name, level, null, now()));
    this.#publisher.fireEvent('floor_registry_updated', { action: 'create', floor_id: floorId });
  }

  /** Removes a floor; its areas lose it, as in Home Assistant. */
  removeFloor(floorId: string): void {
    if (!this.#reg.floors.delete(floorId))
      throw new HasyncError('not_found', `no floor ${floorId}`);
    this.#publisher.fireEvent('floor_registry_updated', { action: 'remove', floor_id: floorId });
    for (const area of [...this.#reg.areas.values()]) {
      if (area.floor_id === floorId) this.updateArea(area.area_id, { floor_id: null });
    }
  }

  /** helpers/label_registry.py: `label_registry_updated` with `{action, label_id}`. */
  createLabel(spec: LabelSpec): void {
    this.#reg.labels.set(spec.labelId, makeLabel(spec, now()));
    this.#publisher.fireEvent('label_registry_updated', {
      action: 'create',
      label_id: spec.labelId,
    });
  }

  /** Removes an area; devices and entities in it lose their area, as in Home Assistant. */
  removeArea(areaId: string): void {
    if (!this.#reg.areas.delete(areaId)) throw new HasyncError('not_found', `no area ${areaId}`);
    this.#publisher.fireEvent('area_registry_updated', { action: 'remove', area_id: areaId });
    for (const device of [...this.#reg.devices.values()]) {
      if (device.area_id === areaId) this.updateDevice(device.id, { area_id: null });
    }
    for (const entry of [...this.#reg.entities.values()]) {
      if (entry.area_id === areaId) this.updateEntity(entry.entity_id, { area_id: null });
    }
  }

  updateEntity(entityId: string, changes: Partial<DemoEntityEntry>): DemoEntityEntry {
    const old = this.#reg.entities.get(entityId);
    if (!old) throw new HasyncError('not_found', `no entity registry entry ${entityId}`);
    const next = { ...old, ...changes, entity_id: entityId, modified_at: now() };
    this.#reg.entities.set(entityId, next);
    this.#publisher.fireEvent('entity_registry_updated', {
      action: 'update',
      entity_id: entityId,
      changes: oldValues(old, changes),
    });
    return next;
  }

  updateDevice(deviceId: string, changes: Partial<DemoDevice>): DemoDevice {
    const old = this.#reg.devices.get(deviceId);
    if (!old) throw new HasyncError('not_found', `no device ${deviceId}`);
    const next = { ...old, ...changes, id: deviceId, modified_at: now() };
    this.#reg.devices.set(deviceId, next);
    this.#publisher.fireEvent('device_registry_updated', {
      action: 'update',
      device_id: deviceId,
      changes: oldValues(old, changes),
    });
    return next;
  }

  addEntityEntry(spec: EntityEntrySpec): DemoEntityEntry {
    const entry = makeEntityEntry(spec, now());
    this.#reg.entities.set(spec.entityId, entry);
    this.#publisher.fireEvent('entity_registry_updated', {
      action: 'create',
      entity_id: spec.entityId,
    });
    return entry;
  }

  removeEntityEntry(entityId: string): boolean {
    if (!this.#reg.entities.delete(entityId)) return false;
    this.#publisher.fireEvent('entity_registry_updated', { action: 'remove', entity_id: entityId });
    return true;
  }
}

function oldValues<T extends object>(old: T, changes: Partial<T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) out[key] = old[key as keyof T];
  return out;
}
