import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_WRONG_PINS_PER_CLIENT } from '../../src/pairing/pairing-service.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing } from '../helpers/json-http.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: { HASYNC_DEVICE_BIND: '127.0.0.1' } });
});
after(async () => {
  await server.stop();
});

function attempt(address: string, pin: string) {
  return requestFrom(
    address,
    'POST',
    `${server.deviceUrl}/api/pair`,
    JSON.stringify({ pin, name: 'Guesser' }),
  );
}

/** A PIN that is certainly wrong for `pin`. */
function wrongPin(pin: string, n: number): string {
  const guess = String((Number(pin) + 1 + n) % 1_000_000).padStart(6, '0');
  return guess === pin ? String((Number(pin) + 2) % 1_000_000).padStart(6, '0') : guess;
}

test('guesses spread over many addresses disable the PIN at the limit, and the QR code still pairs', async () => {
  const offer = await createPairing(server.adminUrl);
  const statuses: number[] = [];
  // Forty addresses, one guess each: no per-address limit is ever reached.
  for (let i = 0; i < 40; i++)
    statuses.push((await attempt(loopbackAddress(100 + i), wrongPin(offer.pin, i))).status);
  assert.ok(
    statuses.every((s) => s === 401),
    `statuses ${statuses}`,
  );
  // The right PIN, from a fresh address, no longer pairs: at most MAX_WRONG_PINS guesses counted.
  const late = await attempt(loopbackAddress(200), offer.pin);
  assert.equal(late.status, 410);
  const status = await requestFrom(undefined, 'GET', `${server.adminUrl}/api/pairings/${offer.id}`);
  assert.deepEqual(
    { status: status.body?.status, pin_locked: status.body?.pin_locked },
    { status: 'pending', pin_locked: true },
  );
  const byCode = await requestFrom(
    loopbackAddress(100),
    'POST',
    `${server.deviceUrl}/api/pair`,
    JSON.stringify({ code: offer.code, name: 'Owner' }),
  );
  assert.equal(byCode.status, 201);
});

test('a stranger on one address cannot deny pairing: it is stopped after five wrong PINs', async () => {
  const offer = await createPairing(server.adminUrl);
  const stranger = loopbackAddress(500);
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++)
    statuses.push((await attempt(stranger, wrongPin(offer.pin, i))).status);
  assert.deepEqual(statuses.slice(0, MAX_WRONG_PINS_PER_CLIENT), Array(5).fill(401));
  assert.ok(
    statuses.slice(MAX_WRONG_PINS_PER_CLIENT).every((s) => s === 429),
    `${statuses}`,
  );
  const owner = await attempt(loopbackAddress(501), offer.pin);
  assert.equal(owner.status, 201);
});

test('each address is limited on its own: the eleventh attempt of every address gets 429', async () => {
  const addresses = [0, 1, 2, 3, 4].map((n) => loopbackAddress(300 + n));
  // Codes, not PINs: wrong PINs are stopped sooner, by the per-client wrong-PIN limit.
  const guess = (address: string, i: number) =>
    requestFrom(
      address,
      'POST',
      `${server.deviceUrl}/api/pair`,
      JSON.stringify({ code: `guessed-code-${i}-xxxxxxxxxx`, name: 'Guesser' }),
    );
  for (const address of addresses) {
    for (let i = 0; i < 10; i++) {
      const res = await guess(address, i);
      assert.equal(res.status, 401, `attempt ${i + 1} from ${address}`);
    }
    const eleventh = await guess(address, 10);
    assert.equal(eleventh.status, 429);
  }
  // A blocked neighbour does not block a fresh address, which still pairs with a real PIN.
  const offer = await createPairing(server.adminUrl);
  const ok = await attempt(loopbackAddress(400), offer.pin);
  assert.equal(ok.status, 201);
});
