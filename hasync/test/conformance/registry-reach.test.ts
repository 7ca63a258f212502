/**
 * Registry lists and auth/current_user, differentially: each entry a device gets must equal
 * Home Assistant's own entry (as its non-admin user reads it), and the lists hold exactly what
 * the device's entities reach: their devices, the areas of both, the floors of those areas and
 * the labels of any of them.
 * HA: homeassistant/components/config/area_registry.py websocket_list_areas,
 * device_registry.py websocket_list_devices, entity_registry.py websocket_list_entities_for_display,
 * floor_registry.py, label_registry.py; homeassistant/components/auth/__init__.py
 * websocket_current_user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { type Conformance, entitiesInArea, startConformance } from './conformance.ts';
import { registries } from './helpers-diff.ts';

type Entry = Record<string, unknown>;

let c: Conformance;
let user: Connection;
let device: Connection;
let deviceId: string;
/** The entities the device gets from get_states: its scope. */
let scope: string[];
/** What the scope reaches in upstream's registries. */
const reach = { devices: new Set<string>(), areas: new Set<string>(), labels: new Set<string>() };

/** One entity from outside the kitchen, whose device (if any) is in another area. */
async function entityElsewhere(admin: Connection, kitchen: string[]): Promise<string> {
  const living = await entitiesInArea(admin, 'living_room');
  const other = living.find((id) => !kitchen.includes(id));
  assert.ok(other, 'upstream has an entity in the living room');
  return other;
}

before(async () => {
  c = await startConformance();
  const admin = await c.haClient();
  user = await c.haClient('user');
  const kitchen = await entitiesInArea(admin, 'kitchen');
  const extra = await entityElsewhere(admin, kitchen);
  const paired = await c.pairDevice({ areas: ['kitchen'], entities: [extra] });
  deviceId = paired.device_id;
  device = await c.deviceClient(paired.token);
  const states = await device.sendMessagePromise<HassEntity[]>({ type: 'get_states' });
  scope = states.map((s) => s.entity_id).sort();
  assert.deepEqual(scope, [...kitchen, extra].sort(), 'the device sees the kitchen and one more');

  const { entities, devices } = await registries(admin);
  const deviceById = new Map(devices.map((d) => [d.id, d as Entry]));
  for (const entry of entities.filter((e) => scope.includes(e.entity_id))) {
    for (const label of ((entry as unknown as Entry).labels as string[] | undefined) ?? []) {
      reach.labels.add(label);
    }
    if (entry.area_id) reach.areas.add(entry.area_id);
    const owner = entry.device_id ? deviceById.get(entry.device_id) : undefined;
    if (!owner || !entry.device_id) continue;
    reach.devices.add(entry.device_id);
    if (typeof owner.area_id === 'string') reach.areas.add(owner.area_id);
    for (const label of (owner.labels as string[] | undefined) ?? []) reach.labels.add(label);
  }
  assert.ok(reach.devices.size > 0, 'the scoped entities have devices');
});
after(async () => {
  await c?.stop();
});

const byKey = (key: string) => (a: Entry, b: Entry) => String(a[key]).localeCompare(String(b[key]));

/** Both sides' answers to one list command, each sorted by `key`. */
async function bothLists(type: string, key: string): Promise<{ ha: Entry[]; device: Entry[] }> {
  const [ha, mine] = await Promise.all([
    user.sendMessagePromise<Entry[]>({ type }),
    device.sendMessagePromise<Entry[]>({ type }),
  ]);
  return { ha: [...ha].sort(byKey(key)), device: [...mine].sort(byKey(key)) };
}

describe('registry lists give upstream entries for exactly what the scope reaches', () => {
  test('config/device_registry/list: the devices of scoped entities, as upstream lists them', async () => {
    const { ha, device: mine } = await bothLists('config/device_registry/list', 'id');
    assert.deepEqual(mine.map((d) => d.id).sort(), [...reach.devices].sort());
    assert.deepEqual(
      mine,
      ha.filter((d) => reach.devices.has(d.id as string)),
    );
  });

  test('config/area_registry/list: the areas of scoped entities and their devices, as upstream', async () => {
    const { ha, device: mine } = await bothLists('config/area_registry/list', 'area_id');
    assert.ok(reach.areas.has('kitchen') && reach.areas.has('living_room'));
    assert.deepEqual(mine.map((a) => a.area_id).sort(), [...reach.areas].sort());
    assert.deepEqual(
      mine,
      ha.filter((a) => reach.areas.has(a.area_id as string)),
    );
  });

  test('config/floor_registry/list: the floors of the listed areas, as upstream', async () => {
    const areas = await user.sendMessagePromise<Entry[]>({ type: 'config/area_registry/list' });
    const floors = new Set(
      areas
        .filter((a) => reach.areas.has(a.area_id as string))
        .flatMap((a) => (typeof a.floor_id === 'string' ? [a.floor_id] : [])),
    );
    const { ha, device: mine } = await bothLists('config/floor_registry/list', 'floor_id');
    assert.deepEqual(
      mine,
      ha.filter((f) => floors.has(f.floor_id as string)),
    );
  });

  test('config/label_registry/list: the labels of scoped entities, devices and areas, as upstream', async () => {
    const areas = await user.sendMessagePromise<Entry[]>({ type: 'config/area_registry/list' });
    const labels = new Set(reach.labels);
    for (const area of areas.filter((a) => reach.areas.has(a.area_id as string))) {
      for (const label of (area.labels as string[] | undefined) ?? []) labels.add(label);
    }
    const { ha, device: mine } = await bothLists('config/label_registry/list', 'label_id');
    assert.deepEqual(
      mine,
      ha.filter((l) => labels.has(l.label_id as string)),
    );
  });

  test('config/entity_registry/list_for_display: upstream rows of the scoped entities', async () => {
    const type = 'config/entity_registry/list_for_display';
    type Display = { entity_categories: Entry; entities: Entry[] };
    const [ha, mine] = await Promise.all([
      user.sendMessagePromise<Display>({ type }),
      device.sendMessagePromise<Display>({ type }),
    ]);
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(ha).sort());
    assert.deepEqual(mine.entity_categories, ha.entity_categories);
    const rows = ha.entities.filter((row) => scope.includes(row.ei as string));
    assert.ok(rows.length > 0, 'upstream has display rows for the scoped entities');
    assert.deepEqual([...mine.entities].sort(byKey('ei')), [...rows].sort(byKey('ei')));
  });
});

describe('auth/current_user answers as for a non-admin user', () => {
  test('the same keys and value types as upstream, not admin, with the device id', async () => {
    const [ha, mine] = await Promise.all([
      user.sendMessagePromise<Entry>({ type: 'auth/current_user' }),
      device.sendMessagePromise<Entry>({ type: 'auth/current_user' }),
    ]);
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(ha).sort());
    for (const key of Object.keys(ha)) {
      assert.equal(typeof mine[key], typeof ha[key], key);
      assert.equal(Array.isArray(mine[key]), Array.isArray(ha[key]), key);
    }
    const credential = (mine.credentials as Entry[])[0];
    const upstreamCredential = (ha.credentials as Entry[])[0];
    assert.ok(credential && upstreamCredential);
    assert.deepEqual(Object.keys(credential).sort(), Object.keys(upstreamCredential).sort());
    assert.equal(mine.is_admin, false);
    assert.equal(mine.is_owner, false);
    assert.equal(mine.id, deviceId);
  });
});
