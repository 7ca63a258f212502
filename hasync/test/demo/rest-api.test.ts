import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import type { HassState } from '../../src/protocol/home-assistant.ts';
import { startDemoHome } from '../fakes/demo-home.ts';

const OWNER = 'owner-token';
const GUEST = 'guest-token';
const GUEST_ID = 'demo0000000000000000000000000002';

let home: DemoHome;
before(async () => {
  home = await startDemoHome({ token: OWNER, guestToken: GUEST });
});
after(async () => {
  await home.stop();
});

interface Answer {
  status: number;
  type: string | null;
  allow: string | null;
  text: string;
}

async function rest(
  path: string,
  init: { method?: string; token?: string | null; body?: string } = {},
): Promise<Answer> {
  const token = init.token === undefined ? GUEST : init.token;
  const headers: Record<string, string> =
    token === null ? {} : { authorization: `Bearer ${token}` };
  const res = await fetch(`${home.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    allow: res.headers.get('allow'),
    text: await res.text(),
  };
}

const post = (path: string, body?: string, token?: string) =>
  rest(path, {
    method: 'POST',
    ...(body === undefined ? {} : { body }),
    ...(token === undefined ? {} : { token }),
  });

const JSON_TYPE = 'application/json';
const PLAIN_TYPE = 'text/plain; charset=utf-8';

function plain(status: number, text: string): Partial<Answer> {
  return { status, type: PLAIN_TYPE, text };
}

function json(answer: Answer): unknown {
  assert.equal(answer.type, JSON_TYPE);
  return JSON.parse(answer.text);
}

describe('routing and auth, as aiohttp serves Home Assistant views', () => {
  // HA: homeassistant/components/api/__init__.py APIStatusView + helpers/http.py HomeAssistantView.json
  test('GET /api/ answers API running as application/json without charset', async () => {
    const answer = await rest('/api/');
    assert.equal(answer.status, 200);
    assert.equal(answer.type, JSON_TYPE);
    assert.equal(answer.text, '{"message":"API running."}');
  });

  // HA: homeassistant/helpers/http.py request_handler_factory (requires_auth → HTTPUnauthorized)
  test('every view refuses a missing, malformed or unknown token with aiohttp 401 text', async () => {
    const refused = plain(401, '401: Unauthorized');
    for (const path of ['/api/', '/api/config', '/api/states', '/api/states/light.porch']) {
      for (const token of [null, 'wrong-token', '']) {
        const { status, type, text } = await rest(path, { token });
        assert.deepEqual({ status, type, text }, refused, `${path} with ${token}`);
      }
    }
    const basic = await fetch(`${home.url}/api/`, { headers: { authorization: `Basic ${GUEST}` } });
    assert.equal(basic.status, 401);
    const call = await post('/api/services/light/turn_on', '{}', 'wrong-token');
    assert.deepEqual({ status: call.status, text: call.text }, { status: 401, text: refused.text });
  });

  // HA: aiohttp web_urldispatcher (no route → HTTPNotFound, before any view checks the token)
  test('an unknown /api path, and /api without the slash, get aiohttp 404 text', async () => {
    for (const path of ['/api/no-such-endpoint', '/api', '/api/states/', '/']) {
      for (const token of [GUEST, null]) {
        const { status, type, text } = await rest(path, { token });
        assert.deepEqual({ status, type, text }, plain(404, '404: Not Found'), path);
      }
    }
  });

  // HA: aiohttp web_urldispatcher (known route, other method → HTTPMethodNotAllowed with Allow)
  test('a known path with another method gets 405 with the allowed methods', async () => {
    const wrong = await rest('/api/', { method: 'POST', token: null });
    assert.deepEqual(
      { status: wrong.status, type: wrong.type, text: wrong.text, allow: wrong.allow },
      { ...plain(405, '405: Method Not Allowed'), allow: 'GET,OPTIONS' },
    );
    const get = await rest('/api/services/light/turn_on');
    assert.equal(get.status, 405);
    assert.equal(get.allow, 'OPTIONS,POST');
  });
});

describe('reading the home', () => {
  // HA: homeassistant/components/api/__init__.py APIConfigView.get (Config.as_dict)
  test('GET /api/config answers what get_config answers', async () => {
    assert.deepEqual(json(await rest('/api/config')), home.config());
  });

  // HA: homeassistant/components/api/__init__.py APIStatesView.get (the default user group reads every entity)
  test('GET /api/states lists every state as get_states gives it, also to the guest', async () => {
    assert.deepEqual(json(await rest('/api/states')), home.states());
    assert.deepEqual(json(await rest('/api/states', { token: OWNER })), home.states());
  });

  // HA: homeassistant/components/api/__init__.py APIEntityStateView.get
  test('GET /api/states/<id> answers the state, or 404 Entity not found', async () => {
    assert.deepEqual(json(await rest('/api/states/light.porch')), home.state('light.porch'));
    const missing = await rest('/api/states/light.no_such_light');
    assert.equal(missing.status, 404);
    assert.deepEqual(json(missing), { message: 'Entity not found.' });
  });

  // HA: homeassistant/components/api/__init__.py APIServicesView.get (async_services_json)
  test('GET /api/services lists domains with their services', async () => {
    const listed = json(await rest('/api/services')) as { domain: string; services: object }[];
    const light = listed.find((d) => d.domain === 'light');
    assert.ok(light && 'turn_on' in light.services);
  });
});

describe('POST /api/services/<domain>/<service>', () => {
  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (states whose context is the call's)
  test('answers the states the call changed, with the caller as context user', async () => {
    home.setState('light.kitchen_ceiling', 'off');
    const answer = await post(
      '/api/services/light/turn_on',
      JSON.stringify({ entity_id: 'light.kitchen_ceiling', brightness: 120 }),
    );
    assert.equal(answer.status, 200);
    const changed = json(answer) as HassState[];
    assert.deepEqual(changed, [home.state('light.kitchen_ceiling')]);
    assert.equal(changed[0]?.state, 'on');
    assert.equal(changed[0]?.attributes.brightness, 120);
    assert.equal(changed[0]?.context.user_id, GUEST_ID);
    assert.equal(home.calls.at(-1)?.context_id, changed[0]?.context.id);
  });

  // HA: homeassistant/core.py StateMachine.async_set (no state_changed when nothing changes)
  test('answers an empty list when the call changes nothing', async () => {
    home.setState('switch.coffee_machine', 'on');
    const answer = await post(
      '/api/services/switch/turn_on',
      JSON.stringify({ entity_id: 'switch.coffee_machine' }),
    );
    assert.deepEqual(json(answer), []);
  });

  // HA: homeassistant/core.py ServiceRegistry.async_call (domain and service lower-cased)
  test('finds a service named in mixed case', async () => {
    home.setState('switch.dishwasher', 'off');
    const answer = await post(
      '/api/services/Switch/Turn_On',
      JSON.stringify({ entity_id: 'switch.dishwasher' }),
    );
    assert.equal((json(answer) as HassState[])[0]?.state, 'on');
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (json_loads ValueError)
  test('refuses a body that is not JSON with Data should be valid JSON', async () => {
    const answer = await post('/api/services/light/turn_on', '{not json');
    assert.equal(answer.status, 400);
    assert.deepEqual(json(answer), { message: 'Data should be valid JSON.' });
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (ServiceNotFound, vol.Invalid → HTTPBadRequest)
  test('an unknown service, invalid data, a non-object body or no target get aiohttp 400 text', async () => {
    const before = home.state('light.kitchen_ceiling');
    const cases: [string, string | undefined][] = [
      ['/api/services/light/no_such_service', '{}'],
      ['/api/services/no_such_domain/turn_on', '{}'],
      [
        '/api/services/light/turn_on',
        JSON.stringify({ entity_id: 'light.kitchen_ceiling', brightness: 'bright' }),
      ],
      ['/api/services/light/turn_on', JSON.stringify({ entity_id: 'light.kitchen_ceiling', x: 1 })],
      ['/api/services/light/turn_on', '[1]'],
      ['/api/services/light/turn_on', '"text"'],
      ['/api/services/light/turn_on', undefined],
    ];
    for (const [path, body] of cases) {
      const { status, type, text } = await post(path, body);
      assert.deepEqual({ status, type, text }, plain(400, '400: Bad Request'), `${path} ${body}`);
    }
    assert.deepEqual(home.state('light.kitchen_ceiling'), before);
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (HA 2024.8+: ?return_response)
  test('?return_response answers changed_states and service_response', async () => {
    const answer = await post(
      '/api/services/weather/get_forecasts?return_response',
      JSON.stringify({ entity_id: 'weather.home', type: 'daily' }),
    );
    assert.equal(answer.status, 200);
    const body = json(answer) as {
      changed_states: unknown[];
      service_response: Record<string, { forecast: unknown[] }>;
    };
    assert.deepEqual(Object.keys(body), ['changed_states', 'service_response']);
    assert.deepEqual(body.changed_states, []);
    assert.ok((body.service_response['weather.home']?.forecast.length ?? 0) > 0);
  });

  // HA: homeassistant/components/api/__init__.py APIDomainServicesView.post (HA 2024.8+: SupportsResponse checks)
  test('?return_response must match what the service supports, checked before the call', async () => {
    const none = await post(
      '/api/services/light/turn_on?return_response',
      JSON.stringify({ entity_id: 'light.kitchen_ceiling' }),
    );
    assert.equal(none.status, 400);
    assert.deepEqual(json(none), {
      message: 'Service does not support responses. Remove return_response from request.',
    });
    const only = await post(
      '/api/services/weather/get_forecasts',
      JSON.stringify({ entity_id: 'weather.home', type: 'daily' }),
    );
    assert.equal(only.status, 400);
    assert.deepEqual(json(only), {
      message:
        'Service call requires responses but caller did not ask for responses. ' +
        'Add ?return_response to query parameters.',
    });
  });

  // HA: homeassistant/helpers/http.py request_handler_factory (a HomeAssistantError is not caught: aiohttp 500)
  test('a service error that is not vol.Invalid gets aiohttp 500 text', async () => {
    const { status, type, text } = await post(
      '/api/services/climate/set_hvac_mode',
      JSON.stringify({ entity_id: 'climate.living_room', hvac_mode: 'dry' }),
    );
    assert.deepEqual(
      { status, type, text },
      plain(500, '500 Internal Server Error\n\nServer got itself in trouble'),
    );
  });
});

describe('writing states, admin only', () => {
  // HA: homeassistant/components/api/__init__.py APIEntityStateView.post/delete (Unauthorized for non-admins)
  test('the guest may not set or remove a state', async () => {
    for (const method of ['POST', 'DELETE']) {
      const answer = await rest('/api/states/sensor.rest_made', { method, body: '{"state":"1"}' });
      assert.deepEqual(answer.status, 401, method);
    }
    assert.equal(home.state('sensor.rest_made'), undefined);
  });

  // HA: homeassistant/components/api/__init__.py APIEntityStateView.post (201 + Location for a new entity, 200 after)
  test('the owner creates, updates and removes a state', async () => {
    const body = JSON.stringify({ state: 5, attributes: { unit_of_measurement: 'W' } });
    const created = await rest('/api/states/sensor.rest_made', {
      method: 'POST',
      token: OWNER,
      body,
    });
    assert.equal(created.status, 201);
    assert.deepEqual(json(created), home.state('sensor.rest_made'));
    assert.equal(home.state('sensor.rest_made')?.state, '5');
    const updated = await rest('/api/states/sensor.rest_made', {
      method: 'POST',
      token: OWNER,
      body: '{"state":"6"}',
    });
    assert.equal(updated.status, 200);
    const removed = await rest('/api/states/sensor.rest_made', { method: 'DELETE', token: OWNER });
    assert.deepEqual(json(removed), { message: 'Entity removed.' });
    const again = await rest('/api/states/sensor.rest_made', { method: 'DELETE', token: OWNER });
    assert.equal(again.status, 404);
  });

  // HA: homeassistant/components/api/__init__.py APIEntityStateView.post (its JSON messages)
  test('a bad body, a missing state or a bad entity id get HA messages', async () => {
    const ask = async (id: string, body: string) =>
      json(await rest(`/api/states/${id}`, { method: 'POST', token: OWNER, body }));
    assert.deepEqual(await ask('sensor.x', '{'), { message: 'Invalid JSON specified.' });
    assert.deepEqual(await ask('sensor.x', '{}'), { message: 'No state specified.' });
    assert.deepEqual(await ask('Not_Valid', '{"state":"1"}'), {
      message: 'Invalid entity ID specified.',
    });
  });
});
