import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { HasyncError } from '../../src/shared/errors.ts';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { type LinkHarness, startLink } from '../fakes/link.ts';

describe('the upstream link against the demo home', () => {
  let home: DemoHome;
  let h: LinkHarness;

  before(async () => {
    home = await startDemoHome();
    h = await startLink({ url: home.url, token: 'token' });
  });

  after(async () => {
    await h.stop();
    await home.stop();
  });

  test('has the whole home in its cache once start() returns', () => {
    assert.equal(h.link.status().state, 'connected');
    assert.equal(h.link.status().haVersion, home.haVersion);
    assert.equal(h.cache.states().size, home.model.states.size);
    assert.equal(h.cache.state('light.porch')?.state, home.state('light.porch')?.state);
    assert.deepEqual(
      h.cache.state('climate.bedroom')?.attributes,
      home.state('climate.bedroom')?.attributes,
    );
    assert.equal(h.cache.areas().size, 6);
    assert.equal(h.cache.devices().size, home.model.registry.devices.size);
    assert.equal(h.cache.entityEntries().size, home.model.registry.entities.size);
    assert.equal(h.cache.config()?.version, home.haVersion);
    assert.ok(h.cache.services().light?.turn_on);
  });

  test('follows state changes and announces them on the bus', async () => {
    h.changes.length = 0;
    home.setState('sensor.kitchen_temperature', '25.5');
    await waitFor(
      () => h.changes.find((c) => c.entity_id === 'sensor.kitchen_temperature'),
      'the change',
    );
    const change = h.changes.find((c) => c.entity_id === 'sensor.kitchen_temperature');
    assert.equal(change?.new?.state, '25.5');
    assert.equal(change?.old?.state, '22.1');
    assert.equal(change?.event?.event_type, 'state_changed');
    assert.deepEqual(change?.event?.data.new_state, change?.new, "the event is Home Assistant's");
    assert.equal(h.cache.state('sensor.kitchen_temperature')?.state, '25.5');
  });

  test('calls services for the gateway and sees their effects', async () => {
    const result = (await h.link.callService(
      'light',
      'turn_on',
      { brightness: 12 },
      { entity_id: 'light.office_ceiling' },
    )) as {
      context: { id: string };
    };
    assert.equal(typeof result.context.id, 'string');
    await waitFor(() => h.cache.state('light.office_ceiling')?.state === 'on', 'the light on');
    assert.equal(h.cache.state('light.office_ceiling')?.attributes.brightness, 12);
    await assert.rejects(
      h.link.callService('light', 'melt', undefined, { entity_id: 'light.office_ceiling' }),
      (err) => err instanceof HasyncError && err.code === 'not_found',
    );
  });

  test('reflects an entity moved to another area and emits registry_changed', async () => {
    h.registryEvents.length = 0;
    home.moveEntityToArea('switch.irrigation', 'office');
    await waitFor(
      () => h.cache.entityEntries().get('switch.irrigation')?.area_id === 'office',
      'the move',
    );
    assert.deepEqual(h.registryEvents, ['entity']);
    home.moveDeviceToArea('dev_front_door', 'living_room');
    await waitFor(
      () => h.cache.devices().get('dev_front_door')?.area_id === 'living_room',
      'the device move',
    );
  });

  test('picks up a new entity together with its registry entry and area', async () => {
    home.addEntity('light.new_lamp', 'on', { friendly_name: 'New lamp' }, { areaId: 'office' });
    await waitFor(() => h.cache.entityEntries().get('light.new_lamp'), 'the registry entry');
    await waitFor(() => h.cache.state('light.new_lamp'), 'the state');
    assert.equal(h.cache.entityEntries().get('light.new_lamp')?.area_id, 'office');
    home.removeEntity('light.new_lamp');
    await waitFor(() => !h.cache.state('light.new_lamp'), 'the removal');
    await waitFor(() => !h.cache.entityEntries().has('light.new_lamp'), 'the registry removal');
  });

  test('resyncs after Home Assistant restarts with changed state, emitting only the differences', async () => {
    await waitFor(() => h.link.status().state === 'connected', 'connected');
    h.changes.length = 0;
    const upstreamStates: string[] = [];
    h.bus.on('resync-test', 'upstream', (p) => upstreamStates.push(p.state));
    await home.restart((home) => {
      home.setState('light.porch', 'off');
      home.removeEntity('sensor.grid_power');
      home.setState('sensor.brand_new', '7', { friendly_name: 'Brand new' });
    });
    await waitFor(() => h.cache.state('sensor.brand_new'), 'the added entity');
    h.bus.off('resync-test');
    assert.ok(upstreamStates.includes('disconnected'), `went through ${upstreamStates.join(',')}`);
    assert.equal(h.link.status().state, 'connected');
    const summary = h.changes.map((c) => [c.entity_id, c.old?.state, c.new?.state]).sort();
    assert.ok(
      h.changes.every((c) => c.event === undefined),
      'differences found by a resync carry no event',
    );
    assert.deepEqual(summary, [
      ['light.porch', 'on', 'off'],
      ['sensor.brand_new', undefined, '7'],
      ['sensor.grid_power', '412.0', undefined],
    ]);
    assert.equal(h.cache.states().size, home.model.states.size);
    for (const [id, st] of home.model.states) {
      assert.equal(h.cache.state(id)?.state, st.state, id);
    }
  });

  test('reconnects after the network drops and refuses service calls while away', async () => {
    await waitFor(() => h.link.status().state === 'connected', 'connected');
    await home.stop();
    await waitFor(() => h.link.status().state !== 'connected', 'the link to notice');
    await assert.rejects(
      h.link.callService('light', 'turn_on', undefined, { entity_id: 'light.porch' }),
      (err) => err instanceof HasyncError && err.code === 'unavailable',
    );
    await home.start();
    await waitFor(() => h.link.status().state === 'connected', 'reconnected');
    home.dropConnections();
    await waitFor(() => h.link.status().state !== 'connected', 'the drop noticed');
    await waitFor(() => h.link.status().state === 'connected', 'reconnected after the drop');
    assert.match(h.link.status().lastError ?? '', /lost connection/);
  });
});

test('reports demo instead of connected for the in-process demo home', async () => {
  const home = await startDemoHome();
  const h = await startLink({ url: `${home.url}/`, token: 't', demo: true });
  try {
    assert.equal(h.link.status().state, 'demo');
  } finally {
    await h.stop();
    await home.stop();
  }
  assert.equal(h.link.status().state, 'disconnected');
});
