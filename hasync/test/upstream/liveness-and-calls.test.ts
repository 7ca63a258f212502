import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { HasyncError } from '../../src/shared/errors.ts';
import { DEFAULT_HEARTBEAT } from '../../src/upstream/heartbeat.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { startLink } from '../fakes/link.ts';
import {
  countOf,
  errorResult,
  okResult,
  type RawMessage,
  result,
  startRawHomeAssistant,
} from '../fakes/raw-ha.ts';

test('with the default timings a dead link is noticed within 60 s', () => {
  assert.ok(DEFAULT_HEARTBEAT.intervalMs + DEFAULT_HEARTBEAT.timeoutMs <= 60_000);
});

test('pings Home Assistant and reconnects when a pong does not come', async () => {
  let silent = false;
  const fake = await startRawHomeAssistant((msg) =>
    msg.type === 'ping' && silent ? [] : [okResult(msg)],
  );
  const h = await startLink({
    url: fake.url,
    token: 't',
    heartbeat: { intervalMs: 30, timeoutMs: 100 },
  });
  try {
    await waitFor(() => countOf(fake, 'ping') >= 2, 'pings');
    assert.equal(fake.connections, 1, 'answered pings keep the connection');
    h.upstreamStates.length = 0;
    silent = true;
    await waitFor(() => h.upstreamStates.includes('disconnected'), 'the dead link noticed');
    assert.match(h.link.status().lastError ?? '', /no pong from Home Assistant within 100 ms/);
    silent = false;
    await waitFor(() => h.link.status().state === 'connected', 'the reconnect');
    assert.equal(fake.connections, 2);
  } finally {
    await h.stop();
    await fake.close();
  }
});

/** A fake that holds every call_service until the test answers it. */
async function holdingCalls() {
  const calls: RawMessage[] = [];
  const fake = await startRawHomeAssistant((msg) => {
    if (msg.type !== 'call_service') return [okResult(msg)];
    calls.push(msg);
    return [];
  });
  // No pings during these tests: the heartbeat is not what they are about.
  const h = await startLink({
    url: fake.url,
    token: 't',
    heartbeat: { intervalMs: 3_600_000, timeoutMs: 1000 },
  });
  return { fake, h, calls };
}

// HA: homeassistant/components/websocket_api/commands.py handle_call_service (blocking)
test('a long service call is never timed out while Home Assistant runs it', async () => {
  const { fake, h, calls } = await holdingCalls();
  try {
    mock.timers.enable({ apis: ['setTimeout'] });
    let settled = false;
    const call = h.link.callService('script', 'long_one', {}, undefined);
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    await waitForReal(() => calls.length === 1);
    mock.timers.tick(30 * 60_000);
    mock.timers.reset();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false, 'still waiting after 30 minutes');
    const answer = { context: { id: 'c1', parent_id: null, user_id: 'u' }, response: null };
    fake.send(result(calls[0]?.id ?? 0, answer));
    assert.deepEqual(await call, answer);
  } finally {
    mock.timers.reset();
    await h.stop();
    await fake.close();
  }
});

test('a call in flight fails as unavailable when the connection is lost', async () => {
  const { fake, h, calls } = await holdingCalls();
  try {
    const call = h.link.callService('script', 'long_one');
    await waitFor(() => calls.length === 1, 'the call');
    fake.dropConnections();
    await assert.rejects(call, (err) => err instanceof HasyncError && err.code === 'unavailable');
  } finally {
    await h.stop();
    await fake.close();
  }
});

// HA: homeassistant/components/websocket_api/commands.py handle_call_service (return_response)
test("return_response is sent when asked, and Home Assistant's result comes back unchanged", async () => {
  const { fake, h, calls } = await holdingCalls();
  try {
    const target = { entity_id: 'weather.home' };
    const call = h.link.callService('weather', 'get_forecasts', { type: 'daily' }, target, true);
    await waitFor(() => calls.length === 1, 'the call');
    assert.equal(calls[0]?.return_response, true);
    const answer = {
      context: { id: '01HS', parent_id: null, user_id: 'u' },
      response: { 'weather.home': { forecast: [{ datetime: '2024-03-21T00:00:00+00:00' }] } },
    };
    fake.send(result(calls[0]?.id ?? 0, answer));
    assert.deepEqual(await call, answer);
    const plain = h.link.callService('light', 'turn_on', undefined, { entity_id: 'light.a' });
    await waitFor(() => calls.length === 2, 'the second call');
    assert.ok(!('return_response' in (calls[1] ?? {})), 'not sent unless asked');
    fake.send(result(calls[1]?.id ?? 0, { context: answer.context, response: null }));
    await plain;
  } finally {
    await h.stop();
    await fake.close();
  }
});

// HA: homeassistant/components/websocket_api/messages.py error_message
test("keeps Home Assistant's error code, message and translation fields", async () => {
  const { fake, h, calls } = await holdingCalls();
  try {
    const call = h.link.callService('demo', 'strict', { x: 1 });
    await waitFor(() => calls.length === 1, 'the call');
    const error = {
      code: 'service_validation_error',
      message: 'Validation error: the value is out of range',
      translation_key: 'out_of_range',
      translation_domain: 'demo',
      translation_placeholders: null,
    };
    fake.send(errorResult(calls[0]?.id ?? 0, error));
    const err = await call.then(
      () => assert.fail('the call succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HasyncError);
    assert.equal(err.code, 'service_validation_error');
    assert.equal(err.message, error.message);
    assert.deepEqual(err.details, {
      ha_code: 'service_validation_error',
      translation_key: 'out_of_range',
      translation_domain: 'demo',
      translation_placeholders: null,
    });
  } finally {
    await h.stop();
    await fake.close();
  }
});

/** waitFor without timers (setTimeout is mocked meanwhile). */
async function waitForReal(check: () => boolean): Promise<void> {
  for (let n = 0; n < 1000 && !check(); n++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(check(), 'condition reached');
}
