import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  MAX_DATA_DEPTH,
  MAX_DATA_VALUES,
  MAX_FILTER_GLOBS,
  MAX_FILTER_ITEMS,
  MAX_MESSAGE_DEPTH,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  MESSAGE_BURST,
  MESSAGE_RATE_PER_S,
} from '../../src/protocol/device-ws.ts';
import {
  countUpstreamCalls,
  errorOf,
  measured,
  stillServing as serving,
} from '../helpers/attack.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;
/** The server's clock runs this far ahead of the real one (to refill a rate bucket at once). */
let offsetMs = 0;
/** A bystander device: it must be served throughout. */
let bystander: string;
/** One device per test (pairing is limited to 10 a minute per address). */
const tokens: string[] = [];

before(async () => {
  server = await startDemoServer({ clock: { now: () => Date.now() + offsetMs } });
  for (let i = 0; i < 8; i++)
    tokens.push(
      (await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] })).token,
    );
  bystander = tokens.pop() as string;
});
after(async () => {
  await server.stop();
});

const stillServing = () => serving(server, bystander);

/** A device of its own, so one attack never counts against another test's limits. */
function attackerToken(): string {
  const token = tokens.pop();
  assert.ok(token, 'enough devices paired for the tests');
  return token;
}

async function attacker(token = attackerToken()): Promise<RawSocket> {
  return RawSocket.authenticated(server.deviceUrl, token);
}

const lightCall = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'call_service',
  domain: 'light',
  service: 'toggle',
  target: { entity_id: 'light.kitchen_ceiling' },
  ...extra,
});

describe('subscriptions per socket', () => {
  test(`a socket holds at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions; a further subscribe gets not_allowed and nothing else changes`, async (t) => {
    const socket = await attacker();
    const total = MAX_SUBSCRIPTIONS_PER_SOCKET + 50;
    await measured(
      `${total} subscribes on one socket`,
      (line) => t.diagnostic(line),
      async () => {
        for (let id = 1; id <= total; id++) {
          socket.send(
            id % 2
              ? { id, type: 'subscribe_events', event_type: 'state_changed' }
              : { id, type: 'subscribe_entities', entity_ids: ['light.kitchen_ceiling'] },
          );
        }
        await socket.next((f) => f.id === total && f.type === 'result');
      },
    );
    const results = socket.frames.filter((f) => f.type === 'result');
    assert.equal(results.filter((f) => f.success === true).length, MAX_SUBSCRIPTIONS_PER_SOCKET);
    const refused = results.filter((f) => f.success === false);
    assert.equal(refused.length, 50);
    for (const frame of refused) {
      assert.equal(errorOf(frame).code, 'not_allowed');
      assert.match(String(errorOf(frame).message), /At most 100 subscriptions per connection/);
    }
    // The socket still works: unsubscribing makes room again, and events still arrive.
    socket.send({ id: total + 1, type: 'unsubscribe_events', subscription: 1 });
    await socket.next((f) => f.id === total + 1 && f.success === true);
    socket.send({ id: total + 2, type: 'subscribe_events', event_type: 'state_changed' });
    await socket.next((f) => f.id === total + 2 && f.success === true);
    server.hasync.demo?.setState('light.kitchen_ceiling', 'on', { friendly_name: 'Ceiling' });
    await socket.next((f) => f.id === total + 2 && f.type === 'event');
    socket.close();
    await stillServing();
  });
});

describe('sizes checked before anything is queued', () => {
  let shared: string | undefined;
  const refusals = () => {
    shared ??= attackerToken();
    return shared;
  };
  async function refusal(message: Record<string, unknown>): Promise<string> {
    const socket = await attacker(refusals());
    socket.send(message);
    const reply = await socket.next((f) => f.id === message.id);
    assert.equal(errorOf(reply).code, 'invalid_format');
    socket.send({ id: (message.id as number) + 1, type: 'ping' });
    await socket.next((f) => f.type === 'pong', 5000);
    socket.close();
    return String(errorOf(reply).message);
  }

  test(`entity_ids and include/exclude lists are capped (${MAX_FILTER_ITEMS} items, ${MAX_FILTER_GLOBS} globs)`, async () => {
    const ids = Array.from({ length: MAX_FILTER_ITEMS + 1 }, (_, i) => `light.x${i}`);
    assert.equal(
      await refusal({ id: 1, type: 'subscribe_entities', entity_ids: ids }),
      `entity_ids has ${MAX_FILTER_ITEMS + 1} entries, more than the limit of ${MAX_FILTER_ITEMS}`,
    );
    assert.match(
      await refusal({ id: 1, type: 'subscribe_entities', entity_ids: ids.join(',') }),
      /^entity_ids has 501 entries, more than the limit of 500$/,
    );
    assert.match(
      await refusal({ id: 1, type: 'subscribe_entities', exclude: { entities: ids } }),
      /^exclude\.entities has 501 entries/,
    );
    const globs = Array.from({ length: MAX_FILTER_GLOBS + 1 }, (_, i) => `light.*${i}*`);
    assert.match(
      await refusal({ id: 1, type: 'subscribe_entities', include: { entity_globs: globs } }),
      /^include\.entity_globs has 51 entries, more than the limit of 50$/,
    );
    // At the limit is fine.
    const socket = await attacker(refusals());
    socket.send({ id: 1, type: 'subscribe_entities', entity_ids: ids.slice(0, MAX_FILTER_ITEMS) });
    await socket.next((f) => f.id === 1 && f.success === true);
    socket.close();
  });

  test(`service_data and target are capped at ${MAX_DATA_DEPTH} levels and ${MAX_DATA_VALUES} values, and nothing reaches Home Assistant`, async (t) => {
    const upstream = countUpstreamCalls(server);
    try {
      let deep: unknown = 'x';
      for (let i = 0; i < MAX_DATA_DEPTH; i++) deep = [deep];
      assert.equal(
        await refusal(lightCall(1, { service_data: { deep } })),
        `service_data is nested deeper than the limit of ${MAX_DATA_DEPTH} levels`,
      );
      const wide = Object.fromEntries(
        Array.from({ length: MAX_DATA_VALUES + 1 }, (_, i) => [`k${i}`, i]),
      );
      assert.equal(
        await refusal(lightCall(1, { service_data: wide })),
        `service_data holds more than the limit of ${MAX_DATA_VALUES} values`,
      );
      const ids = Array.from({ length: MAX_DATA_VALUES + 1 }, () => 'light.kitchen_ceiling');
      assert.match(
        await refusal(lightCall(1, { target: { entity_id: ids } })),
        /^target holds more than the limit of 1000 values$/,
      );
      // Nesting as deep as a 64 KiB frame allows: refused before any schema walks it.
      await measured(
        'a 30,000-level nested service_data',
        (line) => t.diagnostic(line),
        async () => {
          const bomb = `{"id":1,"type":"call_service","domain":"light","service":"toggle","service_data":{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`;
          const socket = await attacker(refusals());
          socket.send(bomb);
          const reply = await socket.next((f) => f.id === 1);
          assert.equal(
            errorOf(reply).message,
            `Message is nested deeper than the limit of ${MAX_MESSAGE_DEPTH} levels`,
          );
          socket.close();
        },
      );
      assert.equal(upstream.count(), 0, 'no call reached Home Assistant');
    } finally {
      upstream.stop();
    }
    await stillServing();
  });
});

describe('inbound message rate', () => {
  test('a dashboard-sized burst of messages is answered in full', async () => {
    const socket = await attacker();
    const kinds = ['get_states', 'get_config', 'get_services', 'config/area_registry/list'];
    const count = 150;
    for (let id = 1; id <= count; id++) socket.send({ id, type: kinds[id % kinds.length] });
    await socket.next((f) => f.id === count && f.success === true, 20_000);
    assert.equal(
      socket.frames.filter((f) => f.success === true).length,
      count,
      'every message answered with success',
    );
    socket.close();
  });

  test(`a flood over ${MESSAGE_RATE_PER_S}/s (burst ${MESSAGE_BURST}) gets one rate_limited error, then the socket is closed with 1008; what was over the limit never reaches Home Assistant`, async (t) => {
    const upstream = countUpstreamCalls(server);
    try {
      const socket = await attacker();
      const started = performance.now();
      const sent = await measured(
        'a flood of calls (≤20,000 messages, ≤3 s)',
        (line) => t.diagnostic(line),
        async () => {
          let id = 0;
          // Bounded by count and by time; stops as soon as the server closes the socket.
          while (
            id < 20_000 &&
            performance.now() - started < 3000 &&
            socket.closeCode === undefined
          ) {
            for (let i = 0; i < 100 && socket.ws.readyState === socket.ws.OPEN; i++)
              socket.send(lightCall(++id));
            await new Promise((resolve) => setImmediate(resolve));
          }
          await socket.closed;
          return id;
        },
      );
      const elapsedS = (performance.now() - started) / 1000;
      t.diagnostic(
        `sent ${sent} messages in ${elapsedS.toFixed(2)} s; ${upstream.count()} calls reached Home Assistant`,
      );
      assert.equal(socket.closeCode, 1008);
      const limited = socket.frames.filter((f) => errorOf(f).code === 'rate_limited');
      assert.equal(limited.length, 1, 'exactly one rate_limited error');
      assert.match(String(errorOf(limited[0] ?? {}).message), /at most 50 per second/);
      assert.ok(
        upstream.count() <= MESSAGE_BURST + MESSAGE_RATE_PER_S * elapsedS,
        `${upstream.count()} calls reached Home Assistant`,
      );
      // Nothing that was queued runs after the close.
      const atClose = upstream.count();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(upstream.count(), atClose);
    } finally {
      upstream.stop();
    }
    await stillServing();
  });

  test('a JSON array counts each of its messages', async () => {
    const socket = await attacker();
    const batch = Array.from({ length: MESSAGE_BURST + 1 }, (_, i) => ({
      id: i + 1,
      type: 'ping',
    }));
    socket.send(batch);
    const limited = await socket.next((f) => errorOf(f).code === 'rate_limited');
    assert.equal(limited.id, MESSAGE_BURST + 1);
    // Keeping on at that pace closes the socket.
    socket.send(batch.map((m) => ({ ...m, id: m.id + MESSAGE_BURST + 1 })));
    assert.equal(await socket.closed, 1008);
  });

  test('a client that slows down after the warning keeps its connection', async () => {
    const socket = await attacker();
    for (let id = 1; id <= MESSAGE_BURST + 1; id++) socket.send({ id, type: 'ping' });
    await socket.next((f) => errorOf(f).code === 'rate_limited');
    // The bucket fills again in burst / rate seconds: let them pass on the server's clock (the
    // warning is sent as the last message is taken, so every one of them was counted), then
    // carry on normally.
    offsetMs += (MESSAGE_BURST / MESSAGE_RATE_PER_S) * 1000;
    for (let id = MESSAGE_BURST + 2; id < MESSAGE_BURST + 12; id++)
      socket.send({ id, type: 'ping' });
    await socket.next((f) => f.id === MESSAGE_BURST + 11 && f.type === 'pong');
    assert.equal(socket.closeCode, undefined);
    socket.close();
  });
});
