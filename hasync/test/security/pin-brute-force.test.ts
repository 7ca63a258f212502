import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

test('guesses spread over many addresses still burn the pairing after the fifth wrong PIN', async () => {
  const offer = await createPairing(server.adminUrl);
  const statuses: number[] = [];
  // Forty addresses, one guess each: no per-address limit is ever reached.
  for (let i = 0; i < 40; i++)
    statuses.push((await attempt(loopbackAddress(100 + i), wrongPin(offer.pin, i))).status);
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.ok(
    statuses.slice(5).every((s) => s === 410 || s === 401),
    `statuses ${statuses}`,
  );
  // Even the right PIN, from a fresh address, cannot use the burned pairing.
  const late = await attempt(loopbackAddress(200), offer.pin);
  assert.equal(late.status, 410);
});

test('each address is limited on its own: the eleventh attempt of every address gets 429', async () => {
  const addresses = [0, 1, 2, 3, 4].map((n) => loopbackAddress(300 + n));
  for (const address of addresses) {
    for (let i = 0; i < 10; i++) {
      const res = await attempt(address, '000000');
      assert.notEqual(res.status, 429, `attempt ${i + 1} from ${address}`);
    }
    const eleventh = await attempt(address, '000000');
    assert.equal(eleventh.status, 429);
  }
  // A blocked neighbour does not block a fresh address, which still pairs with a real PIN.
  const offer = await createPairing(server.adminUrl);
  const ok = await attempt(loopbackAddress(400), offer.pin);
  assert.equal(ok.status, 201);
});
