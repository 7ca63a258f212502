import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { type ErrorReply, pair, requestJson } from '../helpers/json-http.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';

interface Offer {
  id: string;
  pin: string;
  expires_at: string;
}

/** A guest pairing (issue 15): the admin gives the new device an end date when pairing it. */
describe('guest pairing with an end date', () => {
  let now = Date.parse('2026-12-01T09:00:00Z');
  const clock = { now: () => now };
  let server: TestServer;
  let events: SseClient;

  const create = (body: Record<string, unknown>) =>
    requestJson<Offer & ErrorReply>('POST', `${server.adminUrl}/api/pairings`, body);

  before(async () => {
    server = await startTestServer({ clock });
    events = await openSse(`${server.adminUrl}/api/events`);
  });
  after(async () => {
    events.close();
    await server.stop();
  });

  test('refuses an end date without a zone, one that is not a date, and one already past', async () => {
    for (const expires_at of ['2026-12-02T17:00', '2026-12-02', 'tomorrow', 5]) {
      const res = await create({ areas: ['kitchen'], expires_at });
      assert.equal(res.status, 400, String(expires_at));
      assert.equal(res.body.error.code, 'invalid_input');
    }
    const past = await create({ expires_at: '2026-12-01T08:59:00Z' });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.message, 'expires_at must be in the future');
    const nonsense = await create({ expires_at: '2026-13-45T10:00:00Z' });
    assert.equal(nonsense.status, 400);
    assert.equal(nonsense.body.error.code, 'invalid_input');
    assert.match(nonsense.body.error.message, /expires_at/);
  });

  test('the paired device gets the end date (in UTC), works until it, and is announced when it passes', async () => {
    const offer = await create({ areas: ['kitchen'], expires_at: '2026-12-01T11:00:00+01:00' });
    assert.equal(offer.status, 201, JSON.stringify(offer.body));
    assert.equal(Date.parse(offer.body.expires_at), now + 300_000, 'the PIN keeps its own TTL');
    const paired = await pair(server.deviceUrl, { pin: offer.body.pin, name: 'Cleaner phone' });
    assert.equal(paired.status, 201);
    const { device_id, token } = paired.body;

    const device = await requestJson<{ expires_at: string | null; areas: string[] }>(
      'GET',
      `${server.adminUrl}/api/devices/${device_id}`,
    );
    assert.equal(device.body.expires_at, '2026-12-01T10:00:00.000Z');
    assert.deepEqual(device.body.areas, ['kitchen']);
    assert.equal(server.hasync.devices.authenticate(token)?.id, device_id);

    now = Date.parse('2026-12-01T10:00:00Z');
    assert.equal(server.hasync.devices.authenticate(token), undefined, 'past its end date');
    const ended = await events.next('device_expired', 3000);
    assert.deepEqual(ended.data, { device_id, expires_at: '2026-12-01T10:00:00.000Z' });

    const audit = await requestJson<{ action: string; detail: unknown }[]>(
      'GET',
      `${server.adminUrl}/api/audit?device=${device_id}`,
    );
    const completed = audit.body.find((e) => e.action === 'pairing_completed');
    assert.deepEqual(completed?.detail, {
      name: 'Cleaner phone',
      type: 'other',
      expires_at: '2026-12-01T10:00:00.000Z',
    });
  });

  test('a pairing without an end date pairs a device without one', async () => {
    const offer = await create({ areas: ['kitchen'] });
    const paired = await pair(server.deviceUrl, { pin: offer.body.pin, name: 'Hall tablet' });
    const device = await requestJson<{ expires_at: string | null }>(
      'GET',
      `${server.adminUrl}/api/devices/${paired.body.device_id}`,
    );
    assert.equal(device.body.expires_at, null);
  });
});
