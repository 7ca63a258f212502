import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { startDemoHome } from '../fakes/demo-home.ts';
import { rawClient } from './raw-client.ts';

let home: DemoHome;
let c: Awaited<ReturnType<typeof rawClient>>;
let nextId = 1;
before(async () => {
  home = await startDemoHome();
  c = await rawClient(home);
});
after(async () => {
  c.ws.close();
  await home.stop();
});

const call = (body: Record<string, unknown>) =>
  c.ask({ id: nextId++, type: 'call_service', ...body });

// HA: homeassistant/components/websocket_api/commands.py handle_call_service (result {context}; response only with return_response)
test('answers a call with its context and no response key', async () => {
  const r = await call({
    domain: 'switch',
    service: 'turn_on',
    target: { entity_id: 'switch.irrigation' },
  });
  assert.deepEqual(Object.keys(r.result as object), ['context']);
  const ctx = (r.result as { context: Record<string, unknown> }).context;
  assert.deepEqual(Object.keys(ctx), ['id', 'parent_id', 'user_id']);
  assert.equal(ctx.user_id, 'demo0000000000000000000000000001');
});

// HA: homeassistant/core.py ServiceRegistry.async_call (SupportsResponse.ONLY) + weather/__init__.py async_get_forecasts_service
test('weather.get_forecasts answers with a response per entity only when asked', async () => {
  const r = await call({
    domain: 'weather',
    service: 'get_forecasts',
    target: { entity_id: 'weather.home' },
    service_data: { type: 'daily' },
    return_response: true,
  });
  const result = r.result as {
    context: unknown;
    response: Record<string, { forecast: unknown[] }>;
  };
  assert.deepEqual(Object.keys(result), ['context', 'response']);
  assert.ok((result.response['weather.home']?.forecast.length ?? 0) > 0);
  const missing = await call({
    domain: 'weather',
    service: 'get_forecasts',
    target: { entity_id: 'weather.home' },
    service_data: { type: 'daily' },
  });
  assert.deepEqual(missing.error, {
    code: 'service_validation_error',
    message:
      'Validation error: The action requires responses and must be called with return_response=True.',
    translation_key: 'service_lacks_response_request',
    translation_placeholders: { return_response: 'return_response=True' },
    translation_domain: 'homeassistant',
  });
});

// HA: homeassistant/core.py ServiceRegistry.async_call (SupportsResponse.NONE)
test('refuses return_response for a service without responses', async () => {
  const r = await call({
    domain: 'light',
    service: 'turn_on',
    target: { entity_id: 'light.porch' },
    return_response: true,
  });
  assert.deepEqual(r.error, {
    code: 'service_validation_error',
    message:
      "Validation error: An action which does not return responses can't be called with return_response=True.",
    translation_key: 'service_does_not_support_response',
    translation_placeholders: { return_response: 'return_response=True' },
    translation_domain: 'homeassistant',
  });
});

// HA: homeassistant/components/websocket_api/commands.py handle_call_service (ServiceNotFound)
test('reports an unknown service as not_found with translation fields', async () => {
  const r = await call({
    domain: 'light',
    service: 'explode',
    target: { entity_id: 'light.porch' },
  });
  assert.deepEqual(r.error, {
    code: 'not_found',
    message: 'Service light.explode not found.',
    translation_key: 'service_not_found',
    translation_placeholders: { domain: 'light', service: 'explode' },
    translation_domain: 'homeassistant',
  });
});

// HA: homeassistant/helpers/config_validation.py make_entity_service_schema + light/__init__.py schemas (str(vol.Invalid))
test('reports schema failures as invalid_format with voluptuous messages', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { brightness_pct: 150 },
      "value must be at most 100 for dictionary value @ data['brightness_pct']",
    ],
    [{ brightness: 'abc' }, "expected int for dictionary value @ data['brightness']"],
    [{ foo: 1 }, "extra keys not allowed @ data['foo']"],
  ];
  for (const [data, message] of cases) {
    const r = await call({
      domain: 'light',
      service: 'turn_on',
      service_data: { entity_id: 'light.porch', ...data },
    });
    assert.deepEqual(r.error, { code: 'invalid_format', message });
  }
  const none = await call({ domain: 'light', service: 'turn_on' });
  assert.equal(
    none.error?.message,
    'must contain at least one of entity_id, device_id, area_id, floor_id, label_id.',
  );
  const ws = await call({ domain: 'light', service: 'turn_on', target: { foo: 1 } });
  assert.equal(ws.error?.message, "extra keys not allowed @ data['target']['foo']. Got 1");
  const rr = await call({ domain: 'light', service: 'turn_on', return_response: 'yes' });
  assert.equal(
    rr.error?.message,
    "expected bool for dictionary value @ data['return_response']. Got 'yes'",
  );
});

// HA: homeassistant/components/light/__init__.py VALID_BRIGHTNESS (vol.Clamp)
test('clamps brightness as Home Assistant does', async () => {
  await call({
    domain: 'light',
    service: 'turn_on',
    target: { entity_id: 'light.porch' },
    service_data: { brightness: 999 },
  });
  assert.equal(home.state('light.porch')?.attributes.brightness, 255);
});

// HA: homeassistant/components/climate/__init__.py async_handle_set_hvac_mode_service (not_valid_hvac_mode)
test('an HVAC mode the entity lacks is a service_validation_error', async () => {
  const r = await call({
    domain: 'climate',
    service: 'set_hvac_mode',
    target: { entity_id: 'climate.bedroom' },
    service_data: { hvac_mode: 'dry' },
  });
  assert.equal(r.error?.code, 'service_validation_error');
  assert.equal(r.error?.translation_key, 'not_valid_hvac_mode');
  assert.equal(r.error?.translation_domain, 'climate');
});

// HA: homeassistant/components/weather/__init__.py async_get_forecasts_service (HomeAssistantError)
test('an unsupported forecast type is a home_assistant_error', async () => {
  const r = await call({
    domain: 'weather',
    service: 'get_forecasts',
    target: { entity_id: 'weather.home' },
    service_data: { type: 'twice_daily' },
    return_response: true,
  });
  assert.deepEqual(r.error, {
    code: 'home_assistant_error',
    message: "Weather entity 'weather.home' does not support 'twice_daily' forecast",
  });
});
