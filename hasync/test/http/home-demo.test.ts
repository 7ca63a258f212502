import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing, pair, requestJson } from '../helpers/json-http.ts';

interface Area {
  area_id: string;
  name: string;
  entity_count: number;
}

interface Entity {
  entity_id: string;
  name: string;
  domain: string;
  area_id: string | null;
  state: string;
}

/** Polls until the demo home has reached the cache (the link connects after start). */
async function areasOnceLoaded(adminUrl: string): Promise<Area[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await requestJson<Area[]>('GET', `${adminUrl}/api/areas`);
    if (res.body.length > 0 && res.body.every((a) => a.entity_count > 0)) return res.body;
    if (Date.now() > deadline) throw new Error(`areas never loaded: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('areas, entities and scope against the demo home', () => {
  let server: TestServer;
  let areas: Area[];
  const entities = async (query = '') =>
    (await requestJson<Entity[]>('GET', `${server.adminUrl}/api/entities${query}`)).body;

  before(async () => {
    server = await startTestServer();
    areas = await areasOnceLoaded(server.adminUrl);
  });
  after(() => server.stop());

  test('lists the six demo areas with their entity counts', async () => {
    assert.deepEqual(areas.map((a) => a.area_id).sort(), [
      'bathroom',
      'bedroom',
      'garden',
      'kitchen',
      'living_room',
      'office',
    ]);
    const all = await entities();
    for (const area of areas) {
      const inArea = all.filter((e) => e.area_id === area.area_id).length;
      assert.equal(area.entity_count, inArea, area.area_id);
    }
    assert.ok(all.length >= 50, `${all.length} entities`);
  });

  test('filters entities by area, domain and text', async () => {
    const kitchen = await entities('?area=kitchen');
    assert.ok(kitchen.length > 0 && kitchen.every((e) => e.area_id === 'kitchen'));
    assert.ok(kitchen.some((e) => e.entity_id === 'light.kitchen_ceiling'));
    const lights = await entities('?domain=light');
    assert.ok(lights.length > 0 && lights.every((e) => e.domain === 'light'));
    const coffee = (await entities('?q=Coffee')).map((e) => e.entity_id);
    assert.ok(coffee.includes('switch.coffee_machine'), coffee.join());
    const both = await entities('?area=kitchen&domain=light&q=ceiling');
    assert.deepEqual(
      both.map((e) => e.entity_id),
      ['light.kitchen_ceiling'],
    );
    assert.equal(both[0]?.name, 'Kitchen Ceiling');
  });

  test('a device shows its resolved scope: its areas, plus entities, minus exclusions', async () => {
    const offer = await createPairing(server.adminUrl, {
      areas: ['kitchen'],
      entities: ['switch.christmas_tree'],
    });
    const paired = await pair(server.deviceUrl, { pin: offer.pin, name: 'Kitchen' });
    assert.equal(paired.status, 201);
    const res = await requestJson<{ scope: string[] }>(
      'PATCH',
      `${server.adminUrl}/api/devices/${paired.body.device_id}`,
      { excluded: ['light.kitchen_ceiling'] },
    );
    const kitchen = (await entities('?area=kitchen')).map((e) => e.entity_id);
    const expected = [
      ...kitchen.filter((id) => id !== 'light.kitchen_ceiling'),
      'switch.christmas_tree',
    ];
    assert.deepEqual(res.body.scope, expected.sort());
  });
});
