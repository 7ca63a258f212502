import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AuditStore } from '../../src/storage/audit-store.ts';
import { Db } from '../../src/storage/db.ts';
import { type NewPairing, PairingStore } from '../../src/storage/pairing-store.ts';
import { tempDir } from '../helpers/tmp.ts';

let temp: ReturnType<typeof tempDir>;
let db: Db;

beforeEach(() => {
  temp = tempDir();
  db = Db.open(join(temp.dir, 'hasync.db'));
});
afterEach(() => {
  db.close();
  temp.cleanup();
});

function pairing(id: string, expiresAt: number): NewPairing {
  return {
    id,
    pin_hash: `pin-${id}`,
    code_hash: `code-${id}`,
    name: null,
    areas: ['kitchen'],
    entities: [],
    created_by: 'local',
    created_at: 0,
    expires_at: expiresAt,
    device_expires_at: null,
  };
}

describe('pairing store', () => {
  test('keeps a pairing with its preset scope and finds it by code hash', () => {
    const store = new PairingStore(db);
    store.insert(pairing('p1', 1000));
    const found = store.findByCodeHash('code-p1');
    assert.equal(found?.id, 'p1');
    assert.equal(found?.status, 'pending');
    assert.deepEqual(found?.areas, ['kitchen']);
    assert.equal(found?.device_expires_at, null);
    assert.equal(store.findByCodeHash('code-zz'), undefined);
  });

  test("keeps a guest pairing's end date for the device it pairs", () => {
    const store = new PairingStore(db);
    store.insert({ ...pairing('guest', 1000), device_expires_at: '2026-12-31T22:00:00.000Z' });
    assert.equal(store.get('guest')?.device_expires_at, '2026-12-31T22:00:00.000Z');
  });

  test('expires only pending pairings whose time is up', () => {
    const store = new PairingStore(db);
    store.insert(pairing('due', 1000));
    store.insert(pairing('later', 5000));
    store.insert(pairing('cancelled', 1000));
    store.finish('cancelled', 'cancelled');
    assert.equal(store.hasDue(999), false);
    assert.equal(store.hasDue(1000), true);
    assert.deepEqual(store.expireDue(1000), ['due']);
    assert.deepEqual(store.expireDue(1000), []);
    assert.equal(store.hasDue(1000), false);
    assert.equal(store.get('cancelled')?.status, 'cancelled');
  });

  test('counts a wrong PIN against every pending pairing and locks at the limit', () => {
    const store = new PairingStore(db);
    store.insert(pairing('a', 9000));
    store.insert(pairing('b', 9000));
    for (let i = 0; i < 4; i++) assert.deepEqual(store.countFailure(5), []);
    store.insert(pairing('c', 9000));
    assert.deepEqual(store.countFailure(5).sort(), ['a', 'b']);
    assert.equal(store.get('a')?.status, 'locked');
    assert.equal(store.get('c')?.failed_attempts, 1);
  });

  test('a finished pairing never changes status again', () => {
    const store = new PairingStore(db);
    store.insert(pairing('p', 9000));
    assert.equal(store.finish('p', 'cancelled'), true);
    assert.equal(store.finish('p', 'locked'), false);
    assert.equal(store.complete('p', 'device'), false);
    assert.equal(store.get('p')?.status, 'cancelled');
  });

  test('lists pending pairings and those that ended recently', () => {
    const store = new PairingStore(db);
    store.insert(pairing('old', 100));
    store.insert(pairing('recent', 900));
    store.insert(pairing('pending', 50));
    store.finish('old', 'expired');
    store.finish('recent', 'expired');
    assert.deepEqual(
      store
        .listRecent(500)
        .map((p) => p.id)
        .sort(),
      ['pending', 'recent'],
    );
  });
});

describe('audit store', () => {
  test('pages newest first with limit and a before cursor', () => {
    const audit = new AuditStore(db);
    for (let i = 1; i <= 5; i++) {
      audit.append({
        at: i * 1000,
        actor: 'local',
        action: 'pairing_created',
        pairing_id: `p${i}`,
      });
    }
    const first = audit.page(2);
    assert.deepEqual(
      first.map((e) => e.pairing_id),
      ['p5', 'p4'],
    );
    const next = audit.page(2, first[1]?.id);
    assert.deepEqual(
      next.map((e) => e.pairing_id),
      ['p3', 'p2'],
    );
    assert.deepEqual(
      audit.page(10, next[1]?.id).map((e) => e.pairing_id),
      ['p1'],
    );
  });

  test('keeps actor, time, ids and detail', () => {
    const audit = new AuditStore(db);
    audit.append({
      at: 42,
      actor: 'Alice (u1)',
      action: 'device_renamed',
      device_id: 'd1',
      detail: { from: 'a', to: 'b' },
    });
    const [entry] = audit.page(1);
    assert.deepEqual(
      { ...entry, id: 0 },
      {
        id: 0,
        at: 42,
        actor: 'Alice (u1)',
        action: 'device_renamed',
        device_id: 'd1',
        pairing_id: null,
        detail: { from: 'a', to: 'b' },
      },
    );
  });
});
