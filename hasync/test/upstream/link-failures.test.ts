import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { startLink } from '../fakes/link.ts';
import { eventFrame, okResult, startRawHomeAssistant } from '../fakes/raw-ha.ts';

test('a rejected token is logged clearly, reported as disconnected and retried slowly', async () => {
  const home = await startDemoHome({ token: 'right' });
  let authAttempts = 0;
  const h = await startLink({ url: home.url, token: 'wrong', authRetryMs: 200 });
  h.bus.on('count', 'upstream', (p) => {
    if (p.state === 'disconnected') authAttempts++;
  });
  try {
    const status = h.link.status();
    assert.equal(status.state, 'disconnected');
    assert.match(status.lastError ?? '', /rejected the access token/);
    assert.match(h.logs(), /"level":50.*rejected the access token/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // 200 ms between attempts: about 2 more in 500 ms; the 20 ms backoff would allow ~25.
    assert.ok(authAttempts >= 1 && authAttempts <= 4, `${authAttempts} retries in 500 ms`);
  } finally {
    await h.stop();
    await home.stop();
  }
});

test('an unreachable Home Assistant is retried with backoff and connects once it is up', async () => {
  const home = await startDemoHome();
  const url = home.url;
  await home.stop();
  const h = await startLink({ url, token: 't' });
  try {
    assert.equal(h.link.status().state, 'disconnected');
    assert.match(h.link.status().lastError ?? '', /cannot connect/);
    await home.start();
    await waitFor(() => h.link.status().state === 'connected', 'the connection');
    assert.equal(h.cache.states().size, home.model.states.size);
  } finally {
    await h.stop();
    await home.stop();
  }
});

test('garbage frames after auth are logged and reset the connection without crashing', async () => {
  const fake = await startRawHomeAssistant(() => ['this is {not json', 'null']);
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    await waitFor(() => fake.connections >= 3, 'reconnects after each reset');
    assert.match(h.logs(), /malformed frame from Home Assistant; resetting the connection/);
    assert.match(h.link.status().lastError ?? '', /malformed frame/);
    assert.notEqual(h.link.status().state, 'connected');
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('garbage instead of the auth greeting is a failed connection, retried with backoff', async () => {
  const fake = await startRawHomeAssistant(() => [], '\u0000garbage');
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    assert.equal(h.link.status().state, 'disconnected');
    assert.match(h.link.status().lastError ?? '', /malformed auth frame/);
    await waitFor(() => fake.connections >= 3, 'retries');
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('a well-formed frame of the wrong shape is treated as malformed too', async () => {
  const fake = await startRawHomeAssistant((msg) => {
    const frames = [okResult(msg)];
    if (msg.type === 'subscribe_events' && msg.event_type === 'state_changed') {
      const event = { event_type: 'state_changed', data: { entity_id: 'light.x', new_state: 5 } };
      frames.push(eventFrame(msg.id, { ...event, origin: 'LOCAL', time_fired: 't', context: {} }));
    }
    return frames;
  });
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    await waitFor(() => fake.connections >= 2, 'a reconnect after the reset');
    assert.match(h.logs(), /malformed (event|state_changed event) from Home Assistant/);
    assert.equal(h.cache.states().size, 0);
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('stop() ends a pending retry at once', async () => {
  const home = await startDemoHome({ token: 'right' });
  const h = await startLink({ url: home.url, token: 'wrong', authRetryMs: 60_000 });
  const started = Date.now();
  await h.stop();
  assert.ok(Date.now() - started < 1000, 'stop did not wait for the 60 s retry');
  assert.equal(h.link.status().state, 'disconnected');
  await home.stop();
});
