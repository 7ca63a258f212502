/**
 * subscribe_entities, differentially: HAsync's compressed events to a device scoped to an area
 * against Home Assistant's own events to its non-admin user, filtered to the same entities.
 * HA: homeassistant/components/websocket_api/commands.py handle_subscribe_entities,
 * messages.py _state_diff_event / _state_diff, core.py State.as_compressed_state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { type Conformance, startConformance } from './conformance.ts';
import {
  eventsOf,
  type Frame,
  kitchenToggles,
  nextEvent,
  openPair,
  type SocketPair,
} from './helpers-diff.ts';

const AREA = 'kitchen';

let c: Conformance;
let admin: Connection;
/** The entities upstream places in the kitchen: the scope of every device here. */
let scope: string[];
/** An in-scope entity that toggles (a light or switch), and one outside the scope. */
let toggled: string;
let outside: string;

before(async () => {
  c = await startConformance();
  ({ admin, scope, toggled, outside } = await kitchenToggles(c));
});
after(async () => {
  await c?.stop();
});

/** Keeps only the entries of `record` whose key is in `ids`. */
function pick(record: unknown, ids: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record as Record<string, unknown>).filter(([id]) => ids.includes(id)),
  );
}

/** Subscribes both sides with the same frame; resolves with both initial `a` maps. */
async function subscribeBoth(pair: SocketPair, frame: Frame) {
  pair.ha.send(frame);
  pair.device.send(frame);
  const hasAdded = (e: Frame) => 'a' in e;
  const [ha, device] = await Promise.all([
    nextEvent(pair.ha, frame.id as number, hasAdded),
    nextEvent(pair.device, frame.id as number, hasAdded),
  ]);
  return { ha: ha.a as Record<string, unknown>, device: device.a as Record<string, unknown> };
}

async function toggle(entityId: string) {
  await admin.sendMessagePromise({
    type: 'call_service',
    domain: entityId.split('.')[0],
    service: 'toggle',
    target: { entity_id: entityId },
  });
}

describe('subscribe_entities answers as Home Assistant does, limited to the scope', () => {
  test('the initial a holds exactly the scoped entities, each as upstream compresses it', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      const { ha, device } = await subscribeBoth(pair, { id: 1, type: 'subscribe_entities' });
      assert.deepEqual(Object.keys(device).sort(), scope);
      for (const id of scope) assert.deepEqual(device[id], ha[id], id);
    } finally {
      pair.close();
    }
  });

  test('a state change upstream arrives as the same c diff, and none from outside the scope', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      await subscribeBoth(pair, { id: 1, type: 'subscribe_entities' });
      // The out-of-scope change first: it would reach the device before the in-scope one.
      await toggle(outside);
      await toggle(toggled);
      const changed = (e: Frame) => 'c' in e && toggled in (e.c as Frame);
      const [ha, device] = await Promise.all([
        nextEvent(pair.ha, 1, changed),
        nextEvent(pair.device, 1, changed),
      ]);
      assert.deepEqual(device, { c: { [toggled]: (ha.c as Frame)[toggled] } });
      const deviceEvents = eventsOf(pair.device, 1);
      assert.equal(deviceEvents.length, 2, 'the initial a and one c, nothing from outside');
    } finally {
      pair.close();
    }
  });

  test('entity_ids as a list gives the listed entities that are in scope, as upstream', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    const listed = [toggled, outside];
    try {
      const { ha, device } = await subscribeBoth(pair, {
        id: 1,
        type: 'subscribe_entities',
        entity_ids: listed,
      });
      assert.deepEqual(Object.keys(ha).sort(), [...listed].sort());
      assert.deepEqual(device, pick(ha, scope));
    } finally {
      pair.close();
    }
  });

  // HA: homeassistant/helpers/config_validation.py entity_ids (comma_separated, lower-cased)
  test('entity_ids as a comma-separated string is read as upstream reads it', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    const second = scope.find((id) => id !== toggled) ?? toggled;
    try {
      const { ha, device } = await subscribeBoth(pair, {
        id: 1,
        type: 'subscribe_entities',
        entity_ids: `${toggled}, ${second},${outside}`,
      });
      assert.deepEqual(Object.keys(ha).sort(), [...new Set([toggled, second, outside])].sort());
      assert.deepEqual(device, pick(ha, scope));
    } finally {
      pair.close();
    }
  });

  test('entity_ids [] means every entity, as upstream', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      const { ha, device } = await subscribeBoth(pair, {
        id: 1,
        type: 'subscribe_entities',
        entity_ids: [],
      });
      assert.ok(Object.keys(ha).length > scope.length, 'upstream sends every entity');
      assert.deepEqual(device, pick(ha, scope));
    } finally {
      pair.close();
    }
  });

  test('a subscription with entity_ids gets the c of a listed entity as upstream', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      await subscribeBoth(pair, { id: 1, type: 'subscribe_entities', entity_ids: [toggled] });
      await toggle(toggled);
      const changed = (e: Frame) => 'c' in e;
      const [ha, device] = await Promise.all([
        nextEvent(pair.ha, 1, changed),
        nextEvent(pair.device, 1, changed),
      ]);
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });
});
