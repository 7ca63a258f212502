import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { HomeCache } from '../../src/cache/home-cache.ts';
import type {
  EntityEntry,
  HassConfig,
  HassEvent,
  HassState,
} from '../../src/protocol/home-assistant.ts';
import { EventBus } from '../../src/shared/bus.ts';
import type { HasyncEvents } from '../../src/shared/events.ts';
import type { HomeSnapshot } from '../../src/upstream/home-sink.ts';

function st(entityId: string, state: string, attributes: Record<string, unknown> = {}): HassState {
  const t = '2026-01-01T00:00:00.000Z';
  return {
    entity_id: entityId,
    state,
    attributes,
    last_changed: t,
    last_updated: t,
    context: { id: `ctx-${state}`, parent_id: null, user_id: null },
  };
}

/** Home Assistant's state_changed event for a change (the cache keeps it verbatim). */
function changed(entityId: string, old: HassState | null, next: HassState | null): HassEvent {
  return {
    event_type: 'state_changed',
    data: { entity_id: entityId, old_state: old, new_state: next },
    origin: 'LOCAL',
    time_fired: '2026-01-01T00:00:00.123456+00:00',
    context: (next ?? old)?.context ?? { id: 'x', parent_id: null, user_id: null },
  };
}

/** Applies a state (or a removal) the way the upstream link does, with its event. */
function apply(cache: HomeCache, entityId: string, next: HassState | undefined): HassEvent {
  const event = changed(entityId, cache.state(entityId) ?? null, next ?? null);
  cache.applyStateChanged(entityId, next, event);
  return event;
}

function entry(entityId: string, areaId: string | null): EntityEntry {
  return {
    entity_id: entityId,
    id: entityId,
    name: null,
    original_name: null,
    icon: null,
    platform: 'demo',
    area_id: areaId,
    device_id: null,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
  };
}

const CONFIG = { version: '2025.1.0' } as HassConfig;

function snapshot(states: HassState[], entities: EntityEntry[] = []): HomeSnapshot {
  return {
    states,
    areas: [],
    devices: [],
    entities,
    floors: [],
    labels: [],
    display: { entity_categories: {}, entities: [] },
    config: CONFIG,
    services: {},
  };
}

function changesOf(event: { payload: unknown } | undefined): HasyncEvents['states_changed'] {
  assert.ok(event, 'an event was emitted');
  return event.payload as HasyncEvents['states_changed'];
}

function setup() {
  const bus = new EventBus<HasyncEvents>(pino({ level: 'silent' }));
  const cache = new HomeCache({ bus });
  const events: { name: string; payload: unknown }[] = [];
  bus.on('test', 'states_changed', (p) => events.push({ name: 'states_changed', payload: p }));
  bus.on('test', 'registry_changed', (p) => events.push({ name: 'registry_changed', payload: p }));
  return { cache, events };
}

test('announces a burst of state updates as one states_changed after the current turn', async () => {
  const { cache, events } = setup();
  const first = st('light.a', 'off');
  apply(cache, 'light.a', first);
  apply(cache, 'light.a', st('light.a', 'on'));
  apply(cache, 'switch.b', st('switch.b', 'on'));
  assert.equal(cache.state('light.a')?.state, 'on', 'readers see the update at once');
  assert.equal(events.length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(events.length, 1);
  const { changes } = changesOf(events[0]);
  assert.deepEqual(
    changes.map((c) => [c.entity_id, c.old?.state, c.new?.state]),
    [
      ['light.a', undefined, 'off'],
      ['light.a', 'off', 'on'],
      ['switch.b', undefined, 'on'],
    ],
  );
  assert.equal(first.state, 'off', 'the earlier state object was not edited');
});

test('never merges changes: off, on, off in one turn is two changes with the state between', () => {
  const { cache, events } = setup();
  apply(cache, 'light.a', st('light.a', 'off'));
  cache.flush();
  const on = st('light.a', 'on');
  const off = st('light.a', 'off', { brightness: 0 });
  const toOn = apply(cache, 'light.a', on);
  const toOff = apply(cache, 'light.a', off);
  cache.flush();
  const { changes } = changesOf(events[1]);
  assert.equal(changes.length, 2);
  assert.equal(changes[0]?.new, on);
  assert.equal(changes[1]?.old, on, 'the second change starts from the intermediate state');
  assert.equal(changes[1]?.new, off);
  assert.equal(changes[0]?.event, toOn, "Home Assistant's event travels with its change");
  assert.equal(changes[1]?.event, toOff);
});

test('reports removals with the last known state, and an add then remove as both changes', () => {
  const { cache, events } = setup();
  apply(cache, 'light.a', st('light.a', 'on'));
  cache.flush();
  apply(cache, 'sensor.t', st('sensor.t', '1'));
  apply(cache, 'light.a', undefined);
  apply(cache, 'sensor.t', undefined);
  apply(cache, 'light.unknown', undefined);
  cache.flush();
  const { changes } = changesOf(events[1]);
  assert.deepEqual(
    changes.map((c) => [c.entity_id, c.old?.state, c.new?.state]),
    [
      ['sensor.t', undefined, '1'],
      ['light.a', 'on', undefined],
      ['sensor.t', '1', undefined],
    ],
  );
  assert.equal(cache.states().size, 0);
});

test('a full replacement first announces the changes pending before it', () => {
  const { cache, events } = setup();
  apply(cache, 'light.a', st('light.a', 'on'));
  cache.replaceAll(snapshot([st('light.a', 'off')]));
  assert.deepEqual(
    events.map((e) => changesOf(e).changes.map((c) => [c.old?.state, c.new?.state, !!c.event])),
    [[[undefined, 'on', true]], [['on', 'off', false]]],
    'the resync difference has no event of its own',
  );
});

test('a full replacement emits exactly what changed, appeared or vanished while away', () => {
  const { cache, events } = setup();
  cache.replaceAll(
    snapshot([st('light.same', 'on'), st('light.changed', 'off'), st('light.gone', 'on')]),
  );
  events.length = 0;
  cache.replaceAll(
    snapshot([st('light.same', 'on'), st('light.changed', 'on'), st('light.new', 'on')]),
  );
  assert.equal(events.length, 1);
  const { changes } = changesOf(events[0]);
  const summary = changes.map((c) => [c.entity_id, c.old?.state, c.new?.state]).sort();
  assert.deepEqual(summary, [
    ['light.changed', 'off', 'on'],
    ['light.gone', 'on', undefined],
    ['light.new', undefined, 'on'],
  ]);
  assert.equal(cache.config()?.version, '2025.1.0');
});

test('a full replacement with equal data emits nothing', () => {
  const { cache, events } = setup();
  cache.replaceAll(snapshot([st('light.a', 'on', { brightness: 3 })], [entry('light.a', 'x')]));
  events.length = 0;
  cache.replaceAll(snapshot([st('light.a', 'on', { brightness: 3 })], [entry('light.a', 'x')]));
  assert.deepEqual(events, []);
});

test('an entity moved to another area updates the registry and emits registry_changed', () => {
  const { cache, events } = setup();
  cache.setEntityEntries([entry('light.a', 'kitchen')]);
  const before = cache.entityEntries();
  events.length = 0;
  cache.setEntityEntries([entry('light.a', 'kitchen')]);
  assert.deepEqual(events, [], 'an unchanged registry is not announced');
  cache.setEntityEntries([entry('light.a', 'office')]);
  assert.equal(cache.entityEntries().get('light.a')?.area_id, 'office');
  assert.equal(before.get('light.a')?.area_id, 'kitchen', 'the old map was not edited');
  assert.deepEqual(events, [{ name: 'registry_changed', payload: { registry: 'entity' } }]);
});
