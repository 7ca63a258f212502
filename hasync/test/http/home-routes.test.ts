import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { HomeView } from '../../src/cache/home-view.ts';
import { createApp } from '../../src/http/create-app.ts';
import { homeRoutes } from '../../src/http/routes/home.ts';
import type { AreaEntry, EntityEntry, HassState } from '../../src/protocol/home-assistant.ts';
import { createLogger } from '../../src/shared/logger.ts';

function state(entity_id: string, value: string, friendly?: string, unit?: string): HassState {
  const time = '2025-01-01T00:00:00Z';
  const attributes = {
    ...(friendly ? { friendly_name: friendly } : {}),
    ...(unit ? { unit_of_measurement: unit } : {}),
  };
  const context = { id: 'c', parent_id: null, user_id: null };
  return { entity_id, state: value, attributes, last_changed: time, last_updated: time, context };
}

function area(area_id: string, name: string): AreaEntry {
  return { area_id, name, icon: null, floor_id: null, aliases: [], picture: null };
}

function entry(entity_id: string, area_id: string | null, device_id: string | null): EntityEntry {
  return {
    entity_id,
    id: entity_id,
    name: null,
    original_name: null,
    icon: null,
    platform: 'demo',
    area_id,
    device_id,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
  };
}

/** Kitchen: a light by its own area, a sensor through its device. Hall: a switch. One orphan. */
const home: HomeView = {
  state: (id) => states.get(id),
  states: () => states,
  floors: () => new Map(),
  labels: () => new Map(),
  entitiesForDisplay: () => undefined,
  areas: () =>
    new Map(
      [area('kitchen', 'Kitchen'), area('hall', 'Hall'), area('attic', 'Attic')].map((a) => [
        a.area_id,
        a,
      ]),
    ),
  devices: () =>
    new Map([
      [
        'dev1',
        {
          id: 'dev1',
          name: 'Thermo',
          name_by_user: null,
          area_id: 'kitchen',
          manufacturer: null,
          model: null,
          disabled_by: null,
        },
      ],
    ]),
  entityEntries: () =>
    new Map(
      [
        entry('light.kitchen', 'kitchen', null),
        entry('sensor.kitchen_temp', null, 'dev1'),
        entry('switch.hall', 'hall', null),
      ].map((e) => [e.entity_id, e]),
    ),
  config: () => undefined,
  services: () => ({}),
};
const states = new Map(
  [
    state('light.kitchen', 'on', 'Kitchen Ceiling'),
    state('sensor.kitchen_temp', '21.5', undefined, '°C'),
    state('switch.hall', 'off', 'Hall Switch'),
    state('sun.sun', 'above_horizon'),
  ].map((s) => [s.entity_id, s]),
);

let app: FastifyInstance;
before(async () => {
  app = createApp(createLogger('error'));
  homeRoutes(app, { home });
  await app.ready();
});
after(() => app.close());

async function get(url: string) {
  const res = await app.inject({ url });
  return { status: res.statusCode, body: res.json() };
}

test('lists areas with the number of entities in each, through devices too', async () => {
  assert.deepEqual(await get('/api/areas'), {
    status: 200,
    body: [
      { area_id: 'attic', name: 'Attic', entity_count: 0 },
      { area_id: 'hall', name: 'Hall', entity_count: 1 },
      { area_id: 'kitchen', name: 'Kitchen', entity_count: 2 },
    ],
  });
});

test('lists entities with name, domain, area, state and unit', async () => {
  const { body } = await get('/api/entities');
  assert.deepEqual(body, [
    {
      entity_id: 'light.kitchen',
      name: 'Kitchen Ceiling',
      domain: 'light',
      area_id: 'kitchen',
      state: 'on',
    },
    {
      entity_id: 'sensor.kitchen_temp',
      name: 'sensor.kitchen_temp',
      domain: 'sensor',
      area_id: 'kitchen',
      state: '21.5',
      unit_of_measurement: '°C',
    },
    { entity_id: 'sun.sun', name: 'sun.sun', domain: 'sun', area_id: null, state: 'above_horizon' },
    {
      entity_id: 'switch.hall',
      name: 'Hall Switch',
      domain: 'switch',
      area_id: 'hall',
      state: 'off',
    },
  ]);
});

test('filters entities by area, domain and search text, combined', async () => {
  const ids = async (query: string) =>
    ((await get(`/api/entities?${query}`)).body as { entity_id: string }[]).map((e) => e.entity_id);
  assert.deepEqual(await ids('area=kitchen'), ['light.kitchen', 'sensor.kitchen_temp']);
  assert.deepEqual(await ids('domain=switch'), ['switch.hall']);
  assert.deepEqual(await ids('q=CEILING'), ['light.kitchen']);
  assert.deepEqual(await ids('q=kitchen&domain=sensor'), ['sensor.kitchen_temp']);
  assert.deepEqual(await ids('area=attic'), []);
  assert.equal((await get('/api/entities?domain=Bad!')).status, 400);
});
