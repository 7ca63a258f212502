import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { startTestServer } from '../helpers/hasync.ts';

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

test('npm start mode: the in-process demo home is connected and health says demo', async () => {
  const server = await startTestServer();
  try {
    const demo = server.hasync.demo;
    assert.ok(demo, 'demo mode runs the demo home in-process');
    const health = await getJson(`${server.adminUrl}/api/health`);
    assert.equal(health.homeassistant, 'demo');
    const status = await getJson(`${server.adminUrl}/api/status`);
    assert.equal(status.ha_version, demo.haVersion);
    assert.equal(status.homeassistant, 'demo');
    assert.equal(status.entity_count, demo.model.states.size);
    assert.deepEqual(status.devices, { total: 0, online: 0 });
    assert.equal(status.last_error, null);
    demo.setState('light.porch', 'off');
    await waitFor(() => server.hasync.cache.state('light.porch')?.state === 'off', 'the change');
    await demo.restart((home) => home.setState('light.porch', 'on'));
    await waitFor(() => server.hasync.cache.state('light.porch')?.state === 'on', 'the resync');
    const after = await getJson(`${server.adminUrl}/api/health`);
    assert.equal(after.homeassistant, 'demo');
  } finally {
    await server.stop();
  }
});

test('standalone mode with a rejected token: status gives the reason and the log says so', async () => {
  const home = await startDemoHome({ token: 'the-right-one' });
  const server = await startTestServer({
    env: { HASYNC_HA_URL: home.url, HASYNC_HA_TOKEN: 'a-wrong-token' },
  });
  try {
    const status = await getJson(`${server.adminUrl}/api/status`);
    assert.equal(status.homeassistant, 'disconnected');
    assert.match(String(status.last_error), /rejected the access token/);
    assert.equal(status.ha_version, null);
    const health = await getJson(`${server.adminUrl}/api/health`);
    assert.equal(health.homeassistant, 'disconnected');
    assert.match(server.logs(), /rejected the access token.*check the access token/);
    assert.doesNotMatch(server.logs(), /a-wrong-token/);
  } finally {
    await server.stop();
    await home.stop();
  }
});

test('standalone mode with a valid token reports connected', async () => {
  const home = await startDemoHome({ token: 'the-right-one' });
  const server = await startTestServer({
    env: { HASYNC_HA_URL: home.url, HASYNC_HA_TOKEN: 'the-right-one' },
  });
  try {
    assert.equal(server.hasync.demo, undefined);
    const health = await getJson(`${server.adminUrl}/api/health`);
    assert.equal(health.homeassistant, 'connected');
    assert.equal(
      (await getJson(`${server.adminUrl}/api/status`)).entity_count,
      home.model.states.size,
    );
  } finally {
    await server.stop();
    await home.stop();
  }
});
