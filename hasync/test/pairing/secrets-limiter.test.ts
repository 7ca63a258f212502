import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttemptLimiter } from '../../src/pairing/attempt-limiter.ts';
import {
  generateCode,
  generatePin,
  generateToken,
  hashPin,
  sameHash,
  sha256Hex,
} from '../../src/pairing/secrets.ts';

describe('secrets', () => {
  test('PINs are six digits and vary', () => {
    const pins = new Set(Array.from({ length: 200 }, generatePin));
    for (const pin of pins) assert.match(pin, /^\d{6}$/);
    assert.ok(pins.size > 190);
  });

  test('codes carry 128 bits and tokens 256 bits behind the hasync_ prefix', () => {
    assert.equal(Buffer.from(generateCode(), 'base64url').length, 16);
    const token = generateToken();
    assert.match(token, /^hasync_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token.slice(7), 'base64url').length, 32);
    assert.notEqual(generateToken(), token);
  });

  test('a PIN hash depends on the pairing, and hashes compare by value', () => {
    assert.notEqual(hashPin('a', '123456'), hashPin('b', '123456'));
    assert.ok(sameHash(hashPin('a', '123456'), hashPin('a', '123456')));
    assert.ok(!sameHash(hashPin('a', '123456'), hashPin('a', '123457')));
    assert.ok(!sameHash(sha256Hex('x'), 'abcd'));
  });
});

describe('attempt limiter', () => {
  test('allows ten attempts a minute per key, then says how long to wait', () => {
    let now = 0;
    const limiter = new AttemptLimiter({ max: 10, windowMs: 60_000 }, { now: () => now });
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(limiter.take('a'), { allowed: true });
      now += 1000;
    }
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterS: 50 });
    assert.deepEqual(limiter.take('b'), { allowed: true }, 'other addresses are not affected');
    now = 60_001;
    assert.deepEqual(limiter.take('a'), { allowed: true }, 'the oldest attempt left the window');
    assert.equal(limiter.take('a').allowed, false);
  });
});

describe('attempt limiter counting failures only', () => {
  test('check does not count; record does; the key is refused once the failures reach max', () => {
    let now = 0;
    const limiter = new AttemptLimiter({ max: 2, windowMs: 60_000 }, { now: () => now });
    for (let i = 0; i < 5; i++) assert.deepEqual(limiter.check('a'), { allowed: true });
    limiter.record('a');
    now += 10_000;
    limiter.record('a');
    assert.deepEqual(limiter.check('a'), { allowed: false, retryAfterS: 50 });
    now = 60_001;
    assert.deepEqual(limiter.check('a'), { allowed: true });
  });
});
