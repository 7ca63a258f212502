import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CLIENT_WRONG_PIN_WINDOW_MS,
  MAX_WRONG_PINS,
  MAX_WRONG_PINS_PER_CLIENT,
} from '../../src/pairing/pairing-service.ts';
import { sha256Hex } from '../../src/pairing/secrets.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import {
  createPairing,
  type ErrorReply,
  type PairedDevice,
  pair,
  requestJson,
} from '../helpers/json-http.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';
import { tempDir } from '../helpers/tmp.ts';

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  device_id: string | null;
  pairing_id: string | null;
}

/**
 * The whole pairing story over real HTTP on 127.0.0.1 against a real SQLite file, in order:
 * each step builds on the previous one. Time is an injected clock the test moves.
 */
describe('pairing flow', () => {
  const temp = tempDir();
  let now = Date.now();
  const clock = { now: () => now };
  let server: TestServer;
  let events: SseClient;
  const secrets: string[] = [];
  let first: PairedDevice;

  const status = async (id: string) =>
    (
      await requestJson<{ status: string; device_id?: string; pin_locked?: boolean }>(
        'GET',
        `${server.adminUrl}/api/pairings/${id}`,
      )
    ).body;

  before(async () => {
    server = await startTestServer({ dataDir: temp.dir, clock });
    events = await openSse(`${server.adminUrl}/api/events`);
  });
  after(async () => {
    events.close();
    await server.stop();
    temp.cleanup();
  });

  test('the event stream answers as text/event-stream', () => {
    assert.equal(events.status, 200);
    assert.match(events.contentType ?? '', /^text\/event-stream/);
  });

  test('a pairing offers a 6-digit PIN, a 128-bit code and a pair_url carrying the code', async () => {
    const offer = await createPairing(server.adminUrl, {
      name: 'Kitchen tablet',
      areas: ['kitchen'],
    });
    secrets.push(offer.pin, offer.code);
    assert.match(offer.pin, /^\d{6}$/);
    assert.ok(Buffer.from(offer.code, 'base64url').length >= 16);
    assert.ok(offer.pair_url.endsWith(`#code=${offer.code}`));
    assert.ok(offer.pair_url.includes(`:${server.hasync.device.port}/`));
    assert.equal(Date.parse(offer.expires_at), now + 300_000);
    assert.equal((await status(offer.id)).status, 'pending');

    const res = await pair(server.deviceUrl, { pin: offer.pin, name: 'ignored', type: 'tablet' });
    assert.equal(res.status, 201);
    first = res.body;
    secrets.push(first.token);
    assert.equal(first.name, 'Kitchen tablet', 'the name the admin chose wins');
    assert.match(first.token, /^hasync_[A-Za-z0-9_-]{43}$/);

    const completed = await events.next('pairing_completed', 1000);
    assert.deepEqual(completed.data, {
      pairing_id: offer.id,
      device_id: first.device_id,
      name: 'Kitchen tablet',
    });
    assert.deepEqual(await status(offer.id), {
      id: offer.id,
      status: 'completed',
      device_id: first.device_id,
      expires_at: offer.expires_at,
    });
  });

  test('the token identifies the device, which got the scope given at pairing', () => {
    const device = server.hasync.devices.authenticate(first.token);
    assert.equal(device?.id, first.device_id);
    assert.deepEqual(device?.areas, ['kitchen']);
    assert.equal(server.hasync.devices.authenticate(`${first.token}x`), undefined);
    const row = server.hasync.db.get<{ token_hash: string }>(
      'SELECT token_hash FROM devices WHERE id = ?',
      first.device_id,
    );
    assert.equal(row?.token_hash, sha256Hex(first.token));
  });

  test('a used PIN is gone (410)', async () => {
    const res = await pair(server.deviceUrl, { pin: secrets[0], name: 'again' });
    assert.equal(res.status, 410);
    assert.equal((res.body as ErrorReply).error.code, 'gone');
  });

  test('five wrong PINs block that address, not the pairings: the PIN pairs from elsewhere, the code always', async () => {
    const a = await createPairing(server.adminUrl);
    const b = await createPairing(server.adminUrl);
    secrets.push(a.pin, a.code, b.pin, b.code);
    const wrong = ['000000', '000001', '000002'].find((p) => p !== a.pin && p !== b.pin) ?? '';
    for (let attempt = 1; attempt <= MAX_WRONG_PINS_PER_CLIENT; attempt++) {
      const res = await pair(server.deviceUrl, { pin: wrong, name: 'guesser' });
      assert.equal(res.status, 401, `attempt ${attempt}`);
      assert.equal(res.body.error.code, 'unauthorized');
    }
    // The stranger's address is refused even with the right PIN…
    const blocked = await pair(server.deviceUrl, { pin: a.pin, name: 'stranger' });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, 'too_many_requests');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    // …while the pairing is untouched: the owner's tablet pairs with the PIN.
    assert.deepEqual(
      { status: (await status(a.id)).status, pin_locked: (await status(a.id)).pin_locked ?? false },
      { status: 'pending', pin_locked: false },
    );
    const owner = await requestFrom(
      loopbackAddress(40),
      'POST',
      `${server.deviceUrl}/api/pair`,
      JSON.stringify({ pin: a.pin, name: 'Owner tablet' }),
    );
    assert.equal(owner.status, 201);
    secrets.push(String(owner.body?.token));
    // Guessing from more addresses disables b's PIN at MAX_WRONG_PINS, never its QR code.
    for (
      let n = 0;
      n * MAX_WRONG_PINS_PER_CLIENT < MAX_WRONG_PINS - MAX_WRONG_PINS_PER_CLIENT;
      n++
    ) {
      for (let i = 0; i < MAX_WRONG_PINS_PER_CLIENT; i++) {
        const body = JSON.stringify({ pin: wrong, name: 'guesser' });
        const res = await requestFrom(
          loopbackAddress(50 + n),
          'POST',
          `${server.deviceUrl}/api/pair`,
          body,
        );
        assert.equal(res.status, 401);
        assert.equal((res.body as ErrorReply | undefined)?.error.code, 'unauthorized');
      }
    }
    assert.equal((await status(b.id)).pin_locked, true);
    assert.equal((await status(b.id)).status, 'pending');
    const late = await requestFrom(
      loopbackAddress(60),
      'POST',
      `${server.deviceUrl}/api/pair`,
      JSON.stringify({ pin: b.pin, name: 'owner' }),
    );
    assert.equal(late.status, 410);
    assert.match(String((late.body as ErrorReply | undefined)?.error.message), /QR code/);
    const byCode = await pair(server.deviceUrl, { code: b.code, name: 'Owner phone' });
    assert.equal(byCode.status, 201, 'the blocked address still pairs with a QR code');
    secrets.push(byCode.body.token);
    now += CLIENT_WRONG_PIN_WINDOW_MS; // the stranger's block ends
  });

  test('an expired PIN is gone (410) and the admin hears of the expiry', async () => {
    now += 61_000; // a fresh rate-limit window
    const offer = await createPairing(server.adminUrl);
    secrets.push(offer.pin, offer.code);
    now += 300_000;
    const res = await pair(server.deviceUrl, { pin: offer.pin, name: 'too late' });
    assert.equal(res.status, 410);
    assert.match(res.body.error.message, /expired/);
    assert.equal((await status(offer.id)).status, 'expired');
    const expired = await events.next('pairing_expired');
    assert.deepEqual(expired.data, { pairing_id: offer.id, status: 'expired' });
  });

  test('the eleventh attempt within a minute from one address gets 429 with Retry-After', async () => {
    now += 61_000;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const res = await pair(server.deviceUrl, {
        code: `unknown-code-${attempt}-xxxxxxxx`,
        name: 'x',
      });
      assert.equal(res.status, 401, `attempt ${attempt}`);
    }
    const refused = await pair(server.deviceUrl, { code: 'unknown-code-11-xxxxxxxx', name: 'x' });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_requests');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    now += retryAfter * 1000;
    const again = await pair(server.deviceUrl, { code: 'unknown-code-12-xxxxxxxx', name: 'x' });
    assert.equal(again.status, 401);
  });

  test('pairs with the QR code secret instead of the PIN', async () => {
    now += 61_000;
    const offer = await createPairing(server.adminUrl, { entities: ['light.hall'] });
    secrets.push(offer.pin, offer.code);
    const res = await pair(server.deviceUrl, { code: offer.code, name: 'Hall phone' });
    assert.equal(res.status, 201);
    secrets.push(res.body.token);
    assert.equal(res.body.name, 'Hall phone');
    assert.deepEqual(server.hasync.devices.authenticate(res.body.token)?.entities, ['light.hall']);
    assert.equal((await pair(server.deviceUrl, { code: offer.code, name: 'again' })).status, 410);
  });

  test('revoking a device kills its token at once and is announced', async () => {
    const res = await requestJson('DELETE', `${server.adminUrl}/api/devices/${first.device_id}`);
    assert.equal(res.status, 204);
    assert.equal(server.hasync.devices.authenticate(first.token), undefined);
    assert.deepEqual((await events.next('device_revoked')).data, { device_id: first.device_id });
    const gone = await requestJson<ErrorReply>(
      'GET',
      `${server.adminUrl}/api/devices/${first.device_id}`,
    );
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'not_found');
  });

  test('every step is in the audit log with actor and time, newest first', async () => {
    const res = await requestJson<AuditEntry[]>('GET', `${server.adminUrl}/api/audit?limit=500`);
    assert.equal(res.status, 200);
    const actions = res.body.map((e) => e.action);
    for (const action of [
      'pairing_created',
      'pairing_completed',
      'pairing_failed',
      'pairing_burned',
      'pairing_expired',
      'device_revoked',
    ]) {
      assert.ok(actions.includes(action), `${action} audited`);
    }
    const ids = res.body.map((e) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    for (const entry of res.body) {
      assert.ok(entry.actor.length > 0);
      assert.ok(!Number.isNaN(Date.parse(entry.at)));
    }
    const byAction = (action: string) => res.body.find((e) => e.action === action);
    assert.equal(byAction('pairing_created')?.actor, 'local');
    assert.equal(byAction('pairing_completed')?.actor, 'device@127.0.0.1');
    assert.equal(byAction('pairing_expired')?.actor, 'system');
  });

  test('no PIN, code or token reaches the log or the database file in clear', () => {
    const logs = server.logs();
    assert.ok(logs.includes('device paired'), 'the log was captured');
    const stored = readdirSync(temp.dir)
      .filter((file) => file.startsWith('hasync.db'))
      .map((file) => readFileSync(join(temp.dir, file)).toString('latin1'))
      .join('\n');
    for (const secret of secrets.filter((s) => s.length > 6)) {
      assert.ok(!logs.includes(secret), 'a secret is in the log');
      assert.ok(!stored.includes(secret), 'a secret is in the database');
    }
    for (const pin of secrets.filter((s) => s.length === 6)) {
      assert.ok(!logs.includes(`"${pin}"`), 'a PIN is in the log');
    }
  });
});
