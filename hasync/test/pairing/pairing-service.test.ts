import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { MAX_WRONG_PINS, PairingService } from '../../src/pairing/pairing-service.ts';
import { EventBus } from '../../src/shared/bus.ts';
import { HasyncError } from '../../src/shared/errors.ts';
import type { HasyncEvents } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { Db } from '../../src/storage/db.ts';
import { tempDir } from '../helpers/tmp.ts';

let temp: ReturnType<typeof tempDir>;
let db: Db;
let now: number;
let bus: EventBus<HasyncEvents>;
let service: PairingService;

beforeEach(() => {
  temp = tempDir();
  db = Db.open(join(temp.dir, 'hasync.db'));
  now = 1_000_000;
  const log = createLogger('error');
  bus = new EventBus(log);
  const config = { pinTtlS: 300, maxDevices: 3 };
  service = new PairingService({ log, db, bus, clock: { now: () => now }, config });
});
afterEach(async () => {
  await service.stop();
  db.close();
  temp.cleanup();
});

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof HasyncError) return err.code;
    throw err;
  }
  return 'no error';
}

test('a PIN works once, within its time', () => {
  const offer = service.create({ name: 'Tablet' }, 'local');
  assert.equal(offer.expires_at, now + 300_000);
  const device = service.pair({ pin: offer.pin, name: 'x' }, '127.0.0.1');
  assert.equal(device.name, 'Tablet');
  assert.equal(
    errorCode(() => service.pair({ pin: offer.pin, name: 'x' }, '127.0.0.1')),
    'gone',
  );
});

test('a wrong PIN counts against every pending pairing; the fifth locks them', () => {
  const a = service.create({}, 'local');
  const b = service.create({}, 'local');
  const locked: string[] = [];
  bus.on('test', 'pairing_expired', (e) => locked.push(`${e.pairing_id}:${e.status}`));
  const wrong = ['000000', '000001', '000002'].find((p) => p !== a.pin && p !== b.pin) ?? '';
  for (let i = 1; i < MAX_WRONG_PINS; i++) {
    assert.equal(
      errorCode(() => service.pair({ pin: wrong, name: 'x' }, 'p')),
      'unauthorized',
    );
  }
  assert.equal(service.status(a.id).status, 'pending');
  assert.equal(
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, 'p')),
    'unauthorized',
  );
  assert.deepEqual(locked.sort(), [`${a.id}:locked`, `${b.id}:locked`].sort());
  assert.equal(
    errorCode(() => service.pair({ pin: a.pin, name: 'x' }, 'p')),
    'gone',
  );
});

test('the sweep timer expires a pending pairing and announces it without any request', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    await service.start();
    const offer = service.create({}, 'local');
    const expired: string[] = [];
    bus.on('test', 'pairing_expired', (e) => expired.push(e.pairing_id));
    now += 299_000;
    mock.timers.tick(1000);
    assert.deepEqual(expired, []);
    now += 1000;
    mock.timers.tick(1000);
    assert.deepEqual(expired, [offer.id]);
    assert.equal(
      errorCode(() => service.pair({ code: offer.code, name: 'x' }, 'p')),
      'gone',
    );
  } finally {
    mock.timers.reset();
  }
});

test('max_devices is enforced when creating and when completing a pairing', () => {
  const offers = [1, 2, 3, 4].map(() => service.create({}, 'local'));
  for (const offer of offers.slice(0, 3)) service.pair({ code: offer.code, name: 'x' }, 'p');
  assert.equal(
    errorCode(() => service.create({}, 'local')),
    'limit_reached',
  );
  const last = offers[3];
  assert.ok(last);
  assert.equal(
    errorCode(() => service.pair({ code: last.code, name: 'x' }, 'p')),
    'limit_reached',
  );
  assert.equal(service.status(last.id).status, 'pending', 'the refused pairing stays usable');
});

test('PINs of open pairings never collide', () => {
  const pins = new Set<string>();
  for (let i = 0; i < 50; i++) pins.add(service.create({}, 'local').pin);
  assert.equal(pins.size, 50);
});
