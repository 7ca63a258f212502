import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import {
  type Conformance,
  entitiesInArea,
  placedEntities,
  startConformance,
} from './conformance.ts';

let c: Conformance;
let user: Connection;
let device: Connection;
let kitchen: string[];

before(async () => {
  c = await startConformance();
  user = await c.haClient('user');
  kitchen = await entitiesInArea(await c.haClient(), 'kitchen');
  const { token } = await c.pairDevice({ areas: ['kitchen'] });
  device = await c.deviceClient(token);
});
after(async () => {
  await c?.stop();
});

/** The same command to Home Assistant's non-admin user and to the device. */
async function both<T>(type: string): Promise<{ ha: T; device: T }> {
  const [ha, dev] = await Promise.all([
    user.sendMessagePromise<T>({ type }),
    device.sendMessagePromise<T>({ type }),
  ]);
  return { ha, device: dev };
}

describe('registry lists give scoped entries exactly as Home Assistant does', () => {
  // HA: homeassistant/components/config/area_registry.py websocket_list_areas
  test('config/area_registry/list gives the scoped area as upstream lists it', async () => {
    const answer = await both<{ area_id: string }[]>('config/area_registry/list');
    const upstreamKitchen = answer.ha.find((a) => a.area_id === 'kitchen');
    assert.ok(upstreamKitchen);
    assert.deepEqual(answer.device, [upstreamKitchen]);
  });

  // HA: homeassistant/components/config/device_registry.py websocket_list_devices
  test('config/device_registry/list gives the scoped devices as upstream lists them', async () => {
    const devicesInScope = new Set(
      (await placedEntities(await c.haClient()))
        .filter((e) => kitchen.includes(e.entity_id) && e.device_id)
        .map((e) => e.device_id),
    );
    assert.ok(devicesInScope.size > 0, 'kitchen entities have devices');
    const answer = await both<{ id: string }[]>('config/device_registry/list');
    const expected = answer.ha.filter((d) => devicesInScope.has(d.id));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    assert.deepEqual([...answer.device].sort(byId), expected.sort(byId));
  });

  // HA: homeassistant/components/config/entity_registry.py websocket_list_entities (the history
  // panel lists it)
  test('config/entity_registry/list gives the scoped entries as upstream lists them', async () => {
    const answer = await both<{ entity_id: string }[]>('config/entity_registry/list');
    const byId = (a: { entity_id: string }, b: { entity_id: string }) =>
      a.entity_id.localeCompare(b.entity_id);
    const expected = answer.ha.filter((e) => kitchen.includes(e.entity_id)).sort(byId);
    assert.ok(expected.length > 0);
    assert.deepEqual([...answer.device].sort(byId), expected);
  });

  // HA: homeassistant/components/config/entity_registry.py websocket_list_entities_for_display
  test('config/entity_registry/list_for_display gives the scoped entries as upstream', async () => {
    type Display = { entity_categories: Record<string, string>; entities: { ei: string }[] };
    const answer = await both<Display>('config/entity_registry/list_for_display');
    assert.deepEqual(answer.device.entity_categories, answer.ha.entity_categories);
    const byEi = (a: { ei: string }, b: { ei: string }) => a.ei.localeCompare(b.ei);
    const expected = answer.ha.entities.filter((e) => kitchen.includes(e.ei)).sort(byEi);
    assert.ok(expected.length > 0);
    assert.deepEqual([...answer.device.entities].sort(byEi), expected);
  });

  // HA: homeassistant/components/config/floor_registry.py and label_registry.py (both present in
  // 2024.3.3, answering [] there: floors and labels reached the UI in 2024.4)
  for (const type of ['config/floor_registry/list', 'config/label_registry/list']) {
    test(`${type} lists only entries upstream lists, as upstream lists them`, async () => {
      const answer = await both<Record<string, unknown>[]>(type);
      const upstream = new Set(answer.ha.map((entry) => JSON.stringify(entry)));
      for (const entry of answer.device) assert.ok(upstream.has(JSON.stringify(entry)), type);
    });
  }
});
