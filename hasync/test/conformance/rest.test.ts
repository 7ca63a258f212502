/**
 * REST, differentially: HAsync's device REST API (a device scoped to the kitchen, its bearer
 * token) against the upstream's own REST API answering its non-admin user. HA:
 * homeassistant/components/api/__init__.py (the views) and homeassistant/helpers/http.py
 * (HomeAssistantView.json, request_handler_factory); aiohttp's own answers for 401/404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import {
  assertScopedConfig,
  type Conformance,
  entitiesInArea,
  placedEntities,
  startConformance,
} from './conformance.ts';
import { setAll } from './helpers-diff.ts';

let c: Conformance;
let admin: Connection;
let deviceToken: string;
let kitchen: string[];
let kitchenSwitchable: string;
let outOfScope: string;

before(async () => {
  c = await startConformance();
  admin = await c.haClient();
  deviceToken = (await c.pairDevice({ areas: ['kitchen'] })).token;
  kitchen = await entitiesInArea(admin, 'kitchen');
  const switchable = kitchen.find((id) => /^(light|switch)\./.test(id));
  assert.ok(switchable, 'upstream has a light or switch in the kitchen');
  kitchenSwitchable = switchable;
  const elsewhere = (await placedEntities(admin)).find(
    (e) => e.disabled_by === null && e.area === 'living_room',
  );
  assert.ok(elsewhere, 'upstream has an entity in the living room');
  outOfScope = elsewhere.entity_id;
});
after(async () => {
  await c?.stop();
});

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

async function read(res: Response): Promise<Answer> {
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

type Init = { method?: string; body?: string };

/** The upstream's answer to its non-admin user (or to `token`). */
async function haRest(path: string, init: Init = {}, token = c.upstream.userToken) {
  return read(
    await fetch(`${c.upstream.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

/** HAsync's answer to the kitchen device. */
async function deviceRest(path: string, init: Init = {}) {
  return read(
    await fetch(`${c.server.deviceUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${deviceToken}` },
    }),
  );
}

async function bothRest(path: string, init: Init = {}) {
  const [ha, device] = await Promise.all([haRest(path, init), deviceRest(path, init)]);
  return { ha, device };
}

const parsed = (answer: Answer): unknown => JSON.parse(answer.body);

interface WireState {
  entity_id: string;
  state: string;
  [key: string]: unknown;
}

describe('REST reads answer as Home Assistant does', () => {
  // HA: aiohttp's default 404 (HTTPNotFound) for a route HA does not register
  test('an unknown /api path gets upstream 404 answer', async () => {
    for (const path of ['/api/no-such-endpoint', '/api']) {
      const { ha, device } = await bothRest(path);
      assert.equal(ha.status, 404, path);
      assert.deepEqual(device, ha, path);
    }
  });

  // HA: homeassistant/helpers/http.py HomeAssistantView.json (CONTENT_TYPE_JSON)
  test('/api/ and /api/config carry upstream content-type', async () => {
    for (const path of ['/api/', '/api/config']) {
      const { ha, device } = await bothRest(path);
      assert.equal(device.status, ha.status);
      assert.equal(device.type, ha.type, path);
    }
  });

  // HA: homeassistant/components/api/__init__.py APIStatusView.get
  test('GET /api/ answers exactly as upstream', async () => {
    const { ha, device } = await bothRest('/api/');
    assert.deepEqual(ha, {
      status: 200,
      type: 'application/json',
      body: '{"message":"API running."}',
    });
    assert.deepEqual(device, ha);
  });

  // HA: homeassistant/components/api/__init__.py APIConfigView.get (Config.as_dict)
  test('GET /api/config is upstream’s answer with the home’s location, paths and URLs blanked', async () => {
    const { ha, device } = await bothRest('/api/config');
    assert.equal(ha.status, 200);
    assert.equal(device.status, ha.status);
    assertScopedConfig(
      parsed(device) as Record<string, unknown>,
      parsed(ha) as Record<string, unknown>,
      kitchen,
    );
  });

  // HA: homeassistant/components/api/__init__.py APIStatesView.get
  test('GET /api/states equals upstream states of the scoped entities, exactly', async () => {
    const { ha, device } = await bothRest('/api/states');
    assert.equal(ha.status, 200);
    assert.deepEqual({ status: device.status, type: device.type }, { status: 200, type: ha.type });
    const scoped = new Set(kitchen);
    const expected = (parsed(ha) as WireState[]).filter((s) => scoped.has(s.entity_id));
    const byId = (states: WireState[]) =>
      [...states].sort((a, b) => a.entity_id.localeCompare(b.entity_id));
    assert.ok(expected.length > 0, 'upstream states the kitchen');
    assert.deepEqual(byId(parsed(device) as WireState[]), byId(expected));
  });

  // HA: homeassistant/components/api/__init__.py APIEntityStateView.get
  test('GET /api/states/<id> in scope answers exactly as upstream', async () => {
    const { ha, device } = await bothRest(`/api/states/${kitchenSwitchable}`);
    assert.equal(ha.status, 200);
    assert.deepEqual({ status: device.status, type: device.type }, { status: 200, type: ha.type });
    assert.deepEqual(parsed(device), parsed(ha));
  });

  // HA: homeassistant/components/api/__init__.py APIEntityStateView.get (Unauthorized →
  // helpers/http.py request_handler_factory → HTTPUnauthorized). HA's non-admin user reads every
  // entity, so the comparison is with aiohttp's 401 as upstream sends it to a refused token.
  test('GET /api/states/<id> out of scope gets aiohttp 401 as upstream words it', async () => {
    const refused = await haRest(`/api/states/${outOfScope}`, {}, 'not-a-valid-token');
    assert.equal(refused.status, 401);
    assert.deepEqual(await deviceRest(`/api/states/${outOfScope}`), refused);
    assert.deepEqual(await deviceRest('/api/states/light.no_such_light_anywhere'), refused);
  });
});

describe('POST /api/services answers as Home Assistant does', () => {
  const body = () => JSON.stringify({ entity_id: kitchenSwitchable });
  const domain = () => kitchenSwitchable.split('.')[0];

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (the states whose
  // context is the call's). The same call is made through upstream, then — after resetting the
  // entity — through HAsync; timestamps and contexts differ, the changed entity and state not.
  test('a call on an in-scope entity answers the changed state as upstream does', async () => {
    await setAll(admin, [kitchenSwitchable], 'off');
    const ha = await haRest(`/api/services/${domain()}/turn_on`, { method: 'POST', body: body() });
    await setAll(admin, [kitchenSwitchable], 'off');
    const device = await deviceRest(`/api/services/${domain()}/turn_on`, {
      method: 'POST',
      body: body(),
    });
    assert.equal(ha.status, 200);
    assert.deepEqual({ status: device.status, type: device.type }, { status: 200, type: ha.type });
    const summary = (answer: Answer) =>
      (parsed(answer) as WireState[]).map((s) => ({
        entity_id: s.entity_id,
        state: s.state,
        keys: Object.keys(s).sort(),
      }));
    assert.deepEqual(summary(ha), [
      { entity_id: kitchenSwitchable, state: 'on', keys: summary(ha)[0]?.keys },
    ]);
    assert.deepEqual(summary(device), summary(ha));
    const [haState, deviceState] = [parsed(ha), parsed(device)] as [WireState[], WireState[]];
    assert.deepEqual(deviceState[0]?.attributes, haState[0]?.attributes);
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (ServiceNotFound → HTTPBadRequest)
  test('an unknown service gets upstream 400 answer', async () => {
    const { ha, device } = await bothRest(`/api/services/${domain()}/no_such_service`, {
      method: 'POST',
      body: body(),
    });
    assert.deepEqual(ha, {
      status: 400,
      type: 'text/plain; charset=utf-8',
      body: '400: Bad Request',
    });
    assert.deepEqual(device, ha);
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (json_loads ValueError)
  test('invalid JSON gets upstream 400 answer', async () => {
    const { ha, device } = await bothRest(`/api/services/${domain()}/turn_on`, {
      method: 'POST',
      body: '{"entity_id": ',
    });
    assert.deepEqual(ha, {
      status: 400,
      type: 'application/json',
      body: '{"message":"Data should be valid JSON."}',
    });
    assert.deepEqual(device, ha);
  });

  // HA: homeassistant/core.py ServiceRegistry.async_call (`service_data or {}`, then the schema:
  // a JSON body that is not an object is vol.Invalid → HTTPBadRequest)
  test('a JSON body that is not an object gets upstream 400 answer', async () => {
    const { ha, device } = await bothRest(`/api/services/${domain()}/turn_on`, {
      method: 'POST',
      body: JSON.stringify([kitchenSwitchable]),
    });
    assert.equal(ha.status, 400);
    assert.deepEqual(device, ha);
  });
});
