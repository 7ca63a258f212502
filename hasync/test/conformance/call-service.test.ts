import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getStates } from 'home-assistant-js-websocket';
import {
  bothAnswer,
  type Conformance,
  entitiesInArea,
  type PlacedEntity,
  placedEntities,
  startConformance,
} from './conformance.ts';

let c: Conformance;
let kitchenLight: string;

before(async () => {
  c = await startConformance();
  const ha = await c.haClient();
  const light = (await entitiesInArea(ha, 'kitchen')).find((id) => id.startsWith('light.'));
  assert.ok(light, 'upstream has a light in the kitchen');
  kitchenLight = light;
});
after(async () => {
  await c?.stop();
});

const errorOf = (frame: Record<string, unknown>) =>
  frame.error as { code: string; message: string };

describe('call_service answers as Home Assistant answers its non-admin user', () => {
  // HA: homeassistant/components/websocket_api/commands.py handle_call_service (result: context)
  test('a successful call answers a context with the keys upstream sends', async () => {
    const [answer] = await bothAnswer(c, [
      {
        id: 1,
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: kitchenLight },
      },
    ]);
    assert.ok(answer);
    assert.equal(answer.ha.success, true);
    assert.equal(answer.device.success, true);
    const context = (frame: Record<string, unknown>) =>
      (frame.result as { context: Record<string, unknown> }).context;
    assert.deepEqual(Object.keys(answer.device.result as object), ['context']);
    assert.deepEqual(
      Object.keys(context(answer.device)).sort(),
      Object.keys(context(answer.ha)).sort(),
    );
    assert.match(String(context(answer.device).id), /^[0-9A-Z]{26}$/, 'a ULID, as HA makes them');
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_call_service (vol.Invalid →
  // invalid_format with humanize_error of the service schema)
  test('service data the schema refuses gets the upstream invalid_format', async () => {
    const answers = await bothAnswer(c, [
      {
        id: 1,
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: kitchenLight },
        service_data: { brightness: 'x' },
      },
      {
        id: 2,
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        target: { area_id: 'kitchen' },
        service_data: { bogus: 1 },
      },
    ]);
    for (const { ha, device } of answers) {
      assert.equal(errorOf(ha).code, 'invalid_format');
      assert.deepEqual(device, ha);
    }
  });

  // HA: homeassistant/core.py ServiceRegistry.async_call ("Invalid argument return_response=True
  // when handler does not support responses"), answered as unknown_error by
  // homeassistant/components/websocket_api/commands.py handle_call_service
  test('return_response on a service without responses gets the upstream error', async () => {
    const [answer] = await bothAnswer(c, [
      {
        id: 1,
        type: 'call_service',
        domain: 'light',
        service: 'turn_off',
        target: { area_id: 'kitchen' },
        return_response: true,
      },
    ]);
    assert.ok(answer);
    assert.equal(answer.ha.success, false);
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (an area or device
  // target leaves out hidden entities and those with an entity_category)
  test('an area target leaves hidden and config/diagnostic entities alone, as HA does', async () => {
    const ha = await c.haClient();
    const on = new Set(
      (await getStates(ha)).filter((s) => s.state === 'on').map((s) => s.entity_id),
    );
    const switches = (await placedEntities(ha)).filter(
      (e) =>
        e.area !== null &&
        e.disabled_by === null &&
        e.entity_id.startsWith('switch.') &&
        on.has(e.entity_id),
    );
    const indirect = (e: PlacedEntity) => e.hidden_by === null && e.entity_category === null;
    // An area with a switch the target reaches and one it skips, both on.
    const skipped = switches.find(
      (e) => !indirect(e) && switches.some((o) => o.area === e.area && indirect(o)),
    );
    assert.ok(skipped?.area, 'upstream has a hidden or categorised switch beside an ordinary one');
    const reached = switches.filter((e) => e.area === skipped.area && indirect(e));
    const { token } = await c.pairDevice({ areas: [skipped.area] });
    const device = await c.deviceClient(token);
    await device.sendMessagePromise({
      type: 'call_service',
      domain: 'switch',
      service: 'turn_off',
      target: { area_id: skipped.area },
    });
    const states = new Map((await getStates(ha)).map((s) => [s.entity_id, s.state]));
    assert.equal(states.get(skipped.entity_id), 'on', `${skipped.entity_id} is skipped`);
    for (const e of reached)
      assert.equal(states.get(e.entity_id), 'off', `${e.entity_id} is reached`);
  });
});

describe('a service Home Assistant does not have', () => {
  // HA: homeassistant/core.py ServiceRegistry.async_call (ServiceNotFound, translation fields);
  // websocket_api/commands.py handle_call_service
  test('gets the upstream not_found with translation fields, whatever the target', async () => {
    const [answer] = await bothAnswer(c, [
      { id: 1, type: 'call_service', domain: 'light', service: 'nope' },
    ]);
    assert.ok(answer);
    assert.equal((answer.ha.error as { code: string }).code, 'not_found');
    assert.deepEqual(answer.device, answer.ha);
  });
});
