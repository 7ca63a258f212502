/**
 * call_service, differentially: the same call made by Home Assistant's non-admin user and by a
 * scoped device through HAsync — the answers (results, responses, errors) and what changed
 * upstream. HA: homeassistant/components/websocket_api/commands.py handle_call_service;
 * homeassistant/core.py ServiceRegistry.async_call; homeassistant/helpers/service.py
 * async_extract_referenced_entity_ids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { type Conformance, entitiesInArea, startConformance } from './conformance.ts';
import {
  type Frame,
  onOf,
  openPair,
  type RegistryEntity,
  registries,
  sendBoth,
  setAll,
  skippedByIndirectTargets,
} from './helpers-diff.ts';

let c: Conformance;
let admin: Connection;
let kitchen: string[];
let kitchenLight: string;
let weather: string;

before(async () => {
  c = await startConformance();
  admin = await c.haClient();
  kitchen = await entitiesInArea(admin, 'kitchen');
  const light = kitchen.find((id) => id.startsWith('light.'));
  assert.ok(light, 'upstream has a light in the kitchen');
  kitchenLight = light;
  const states = await admin.sendMessagePromise<HassEntity[]>({ type: 'get_states' });
  const found = states.find((s) => s.entity_id.startsWith('weather.'));
  assert.ok(found, 'upstream has a weather entity');
  weather = found.entity_id;
});
after(async () => {
  await c?.stop();
});

/**
 * The two responses are equal but for each forecast's `datetime`, which Home Assistant's demo
 * weather computes from the time of the call (HA: homeassistant/components/demo/weather.py
 * async_forecast_daily, dt_util.now() + timedelta): there, the same wire form (the same
 * characters where they are not digits) and the same instant within a few seconds.
 */
function assertSameForecasts(device: Frame, ha: Frame) {
  const DATETIME_SLACK_MS = 5000;
  const shape = (time: unknown) => String(time).replace(/[0-9]/g, '0');
  const strip = (response: Frame) =>
    JSON.parse(JSON.stringify(response), (key, value) => (key === 'datetime' ? undefined : value));
  assert.deepEqual(strip(device), strip(ha));
  const times = (response: Frame) => JSON.stringify(response).match(/"datetime":"[^"]*"/g) ?? [];
  const [mine, theirs] = [times(device), times(ha)];
  assert.equal(mine.length, theirs.length);
  mine.forEach((time, i) => {
    const other = theirs[i] ?? '';
    assert.equal(shape(time), shape(other), 'the same timestamp format');
    const instant = (t: string) => Date.parse(t.slice('"datetime":"'.length, -1));
    assert.ok(Math.abs(instant(time) - instant(other)) < DATETIME_SLACK_MS, `${time} ~ ${other}`);
  });
}

const errorOf = (frame: Frame) => frame.error as Record<string, unknown> | undefined;

describe('call_service responses answer as Home Assistant does', () => {
  // HA: homeassistant/components/weather/__init__.py async_get_forecasts_service
  // (SupportsResponse.ONLY), returned as result.response by handle_call_service
  test('return_response on weather.get_forecasts gives upstream response for the entity', async () => {
    const pair = await openPair(c, { entities: [weather] });
    try {
      const { ha, device } = await sendBoth(pair, {
        id: 1,
        type: 'call_service',
        domain: 'weather',
        service: 'get_forecasts',
        service_data: { type: 'daily' },
        target: { entity_id: weather },
        return_response: true,
      });
      assert.equal(ha.success, true, JSON.stringify(ha));
      assert.equal(device.success, true, JSON.stringify(device));
      const result = (f: Frame) => f.result as { context: Frame; response: Frame };
      assert.deepEqual(Object.keys(result(device)).sort(), ['context', 'response']);
      assert.deepEqual(Object.keys(result(device)).sort(), Object.keys(result(ha)).sort());
      assertSameForecasts(result(device).response, result(ha).response);
    } finally {
      pair.close();
    }
  });

  // HA: homeassistant/core.py ServiceRegistry.async_call (SupportsResponse.ONLY without
  // return_response: ServiceValidationError "service_lacks_response_request")
  test('weather.get_forecasts without return_response gets the upstream error', async () => {
    const pair = await openPair(c, { entities: [weather] });
    try {
      const { ha, device } = await sendBoth(pair, {
        id: 1,
        type: 'call_service',
        domain: 'weather',
        service: 'get_forecasts',
        service_data: { type: 'daily' },
        target: { entity_id: weather },
      });
      assert.equal(ha.success, false);
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_call_service (ServiceNotFound →
  // not_found with translation_domain/key/placeholders)
  test('an unknown service on an in-scope entity gets the upstream not_found', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      const { ha, device } = await sendBoth(pair, {
        id: 1,
        type: 'call_service',
        domain: 'light',
        service: 'no_such_service',
        target: { entity_id: kitchenLight },
      });
      assert.equal(errorOf(ha)?.code, 'not_found');
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });
});

/** The (device, domain) to target: a scoped device with entities of a light or switch domain. */
function pickDevice(entities: RegistryEntity[], scope: readonly string[]) {
  const candidates: { deviceId: string; domain: string; all: string[]; kept: string[] }[] = [];
  for (const domain of ['light', 'switch']) {
    const byDevice = new Map<string, RegistryEntity[]>();
    for (const entry of entities) {
      if (!entry.device_id || entry.disabled_by !== null) continue;
      if (!entry.entity_id.startsWith(`${domain}.`)) continue;
      byDevice.set(entry.device_id, [...(byDevice.get(entry.device_id) ?? []), entry]);
    }
    for (const [deviceId, members] of byDevice) {
      const all = members.map((e) => e.entity_id).sort();
      const kept = members.filter((e) => !skippedByIndirectTargets(e)).map((e) => e.entity_id);
      if (kept.length > 0 && all.every((id) => scope.includes(id))) {
        candidates.push({ deviceId, domain, all, kept: kept.sort() });
      }
    }
  }
  // The most telling: one with a skipped entity, then one with the most entities.
  candidates.sort(
    (a, b) =>
      Number(b.all.length > b.kept.length) - Number(a.all.length > a.kept.length) ||
      b.all.length - a.all.length,
  );
  return candidates[0];
}

describe('indirect targets act on exactly the entities Home Assistant acts on', () => {
  // HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (a device target
  // reaches the device's entities, except hidden and config/diagnostic ones)
  test('a device_id target turns on the same entities as the same call made to upstream', async () => {
    const areas = ['kitchen', 'living_room', 'bedroom'];
    const scope = (await Promise.all(areas.map((a) => entitiesInArea(admin, a)))).flat();
    const { entities } = await registries(admin);
    const target = pickDevice(entities, scope);
    assert.ok(target, 'upstream has a light or switch device in those areas');
    const call = {
      type: 'call_service',
      domain: target.domain,
      service: 'turn_on',
      target: { device_id: target.deviceId },
    };
    const pair = await openPair(c, { areas });
    try {
      await setAll(admin, target.all, 'off');
      const { ha } = await sendOne(pair.ha, { id: 1, ...call });
      assert.equal(ha.success, true, JSON.stringify(ha));
      const upstreamOn = await onOf(admin, target.all);

      await setAll(admin, target.all, 'off');
      const { ha: device } = await sendOne(pair.device, { id: 1, ...call });
      assert.equal(device.success, true, JSON.stringify(device));
      const deviceOn = await onOf(admin, target.all);

      assert.deepEqual(upstreamOn, target.kept, 'upstream skips hidden and categorised entities');
      assert.deepEqual(deviceOn, upstreamOn);
    } finally {
      pair.close();
    }
  });
});

/** Sends one command on one socket and waits for its result. */
async function sendOne(
  socket: { send(m: unknown): void; next(f: (x: Frame) => boolean): Promise<Frame> },
  frame: Frame,
): Promise<{ ha: Frame }> {
  socket.send(frame);
  return { ha: await socket.next((f) => f.id === frame.id && f.type === 'result') };
}
