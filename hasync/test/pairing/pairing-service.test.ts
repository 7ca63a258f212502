import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, mock, test } from 'node:test';
import {
  CLIENT_WRONG_PIN_WINDOW_MS,
  MAX_WRONG_PINS,
  MAX_WRONG_PINS_PER_CLIENT,
  PairingService,
} from '../../src/pairing/pairing-service.ts';
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

function errorOf(fn: () => unknown): HasyncError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HasyncError) return err;
    throw err;
  }
  throw new Error('no error');
}

/** A PIN that belongs to none of `offers`. */
function wrongPin(...offers: { pin: string }[]): string {
  for (let n = 0; ; n++) {
    const pin = String(n).padStart(6, '0');
    if (!offers.some((o) => o.pin === pin)) return pin;
  }
}

test("one client is stopped after five wrong PINs and cannot disable anybody's PIN", () => {
  const a = service.create({}, 'local');
  const wrong = wrongPin(a);
  for (let i = 0; i < MAX_WRONG_PINS_PER_CLIENT; i++) {
    assert.equal(
      errorCode(() => service.pair({ pin: wrong, name: 'x' }, '192.168.1.66')),
      'unauthorized',
    );
  }
  const refused = errorOf(() => service.pair({ pin: a.pin, name: 'x' }, '192.168.1.66'));
  assert.equal(refused.code, 'too_many_requests');
  assert.equal(refused.details?.retry_after_s, CLIENT_WRONG_PIN_WINDOW_MS / 1000);
  assert.deepEqual(
    { status: service.status(a.id).status, pin_locked: service.status(a.id).pin_locked },
    { status: 'pending', pin_locked: false },
  );
  // The same stranger behind IPv6 cannot escape by changing addresses within its /64.
  const v6 = (n: number) => `2001:db8:1:2::${n.toString(16)}`;
  for (let i = 0; i < MAX_WRONG_PINS_PER_CLIENT; i++) {
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, v6(i)));
  }
  assert.equal(
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, v6(99))),
    'too_many_requests',
  );
  // The owner's tablet, elsewhere, pairs with the PIN.
  assert.equal(service.pair({ pin: a.pin, name: 'Tablet' }, '192.168.1.20').name, 'Tablet');
});

test('a blocked client may guess again once its wrong PINs leave the window', () => {
  const a = service.create({}, 'local');
  const wrong = wrongPin(a);
  for (let i = 0; i < MAX_WRONG_PINS_PER_CLIENT; i++) {
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, '10.0.0.9'));
  }
  assert.equal(
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, '10.0.0.9')),
    'too_many_requests',
  );
  now += CLIENT_WRONG_PIN_WINDOW_MS;
  assert.equal(
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, '10.0.0.9')),
    'unauthorized',
  );
});

test('wrong PINs from many clients disable every pending PIN at the limit; the QR code still pairs', () => {
  const a = service.create({}, 'local');
  const b = service.create({}, 'local');
  const expired: string[] = [];
  bus.on('test', 'pairing_expired', (e) => expired.push(e.pairing_id));
  const wrong = wrongPin(a, b);
  for (let i = 1; i < MAX_WRONG_PINS; i++) {
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, `10.1.0.${i}`));
  }
  assert.equal(service.status(a.id).pin_locked, false);
  assert.equal(
    errorCode(() => service.pair({ pin: wrong, name: 'x' }, '10.1.1.1')),
    'unauthorized',
  );
  assert.equal(service.status(a.id).pin_locked, true);
  assert.equal(service.status(a.id).status, 'pending', 'the pairing itself stays open');
  const gone = errorOf(() => service.pair({ pin: a.pin, name: 'x' }, '10.2.0.1'));
  assert.equal(gone.code, 'gone');
  assert.match(gone.message, /QR code/);
  assert.deepEqual(expired, [], 'nothing was announced as ended');
  assert.equal(service.pair({ code: a.code, name: 'By QR' }, '10.1.0.1').name, 'By QR');
  assert.equal(service.pair({ code: b.code, name: 'By QR too' }, '10.1.0.2').name, 'By QR too');
  // A pairing created afterwards starts with a fresh budget.
  const c = service.create({}, 'local');
  assert.equal(service.pair({ pin: c.pin, name: 'Fresh' }, '10.3.0.1').name, 'Fresh');
});

test('a wrong code never counts against PINs', () => {
  const a = service.create({}, 'local');
  for (let i = 0; i < MAX_WRONG_PINS + 5; i++) {
    errorCode(() => service.pair({ code: `unknown-code-${i}-xxxxxxxx`, name: 'x' }, `10.4.0.${i}`));
  }
  assert.equal(service.status(a.id).pin_locked, false);
  assert.equal(service.pair({ pin: a.pin, name: 'PIN' }, '10.4.1.1').name, 'PIN');
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
