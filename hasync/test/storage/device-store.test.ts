import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { Db } from '../../src/storage/db.ts';
import { DeviceStore, type NewDevice } from '../../src/storage/device-store.ts';
import { tempDir } from '../helpers/tmp.ts';

let temp: ReturnType<typeof tempDir>;
let db: Db;
let store: DeviceStore;

beforeEach(() => {
  temp = tempDir();
  db = Db.open(join(temp.dir, 'hasync.db'));
  store = new DeviceStore(db);
});
afterEach(() => {
  db.close();
  temp.cleanup();
});

function device(id: string, overrides: Partial<NewDevice> = {}): NewDevice {
  return {
    id,
    name: `Device ${id}`,
    type: 'tablet',
    token_hash: `hash-${id}`,
    read_only: false,
    created_at: 1000,
    areas: ['kitchen', 'hall'],
    entities: ['light.porch'],
    excluded: ['sensor.noise'],
    ...overrides,
  };
}

test('stores a device with its scope and finds it by id and by token hash', () => {
  db.transaction(() => store.insert(device('a')));
  const expected = {
    id: 'a',
    name: 'Device a',
    type: 'tablet',
    read_only: false,
    created_at: 1000,
    last_seen_at: null,
    areas: ['hall', 'kitchen'],
    entities: ['light.porch'],
    excluded: ['sensor.noise'],
  };
  assert.deepEqual(store.get('a'), expected);
  assert.deepEqual(store.findByTokenHash('hash-a'), expected);
  assert.equal(store.findByTokenHash('hash-b'), undefined);
  assert.equal(store.get('b'), undefined);
});

test('lists every device with its own scope, oldest first', () => {
  db.transaction(() => {
    store.insert(device('b', { created_at: 2000, areas: [], entities: [], excluded: [] }));
    store.insert(device('a', { created_at: 1000 }));
  });
  const list = store.list();
  assert.deepEqual(
    list.map((d) => [d.id, d.areas]),
    [
      ['a', ['hall', 'kitchen']],
      ['b', []],
    ],
  );
  assert.equal(store.count(), 2);
});

test('an update replaces only the lists it is given', () => {
  db.transaction(() => store.insert(device('a')));
  db.transaction(() =>
    store.update('a', { name: 'Renamed', read_only: true, entities: ['light.x'] }),
  );
  const updated = store.get('a');
  assert.equal(updated?.name, 'Renamed');
  assert.equal(updated?.read_only, true);
  assert.deepEqual(updated?.areas, ['hall', 'kitchen']);
  assert.deepEqual(updated?.entities, ['light.x']);
  assert.deepEqual(updated?.excluded, ['sensor.noise']);
  assert.equal(store.update('missing', { name: 'x' }), false);
});

test('a failing transaction leaves the device as it was', () => {
  db.transaction(() => store.insert(device('a')));
  assert.throws(() =>
    db.transaction(() => {
      store.update('a', { name: 'Half', areas: ['office'] });
      throw new Error('boom');
    }),
  );
  assert.equal(store.get('a')?.name, 'Device a');
  assert.deepEqual(store.get('a')?.areas, ['hall', 'kitchen']);
});

test('deleting a device removes its token and scope rows', () => {
  db.transaction(() => store.insert(device('a')));
  assert.equal(store.delete('a'), true);
  assert.equal(store.delete('a'), false);
  assert.equal(store.findByTokenHash('hash-a'), undefined);
  const left = db.get<{ n: number }>(
    'SELECT (SELECT count(*) FROM device_areas) + (SELECT count(*) FROM device_entities) AS n',
  );
  assert.equal(left?.n, 0);
});

test('touch records when the device was last seen', () => {
  db.transaction(() => store.insert(device('a')));
  store.touch('a', 5000);
  assert.equal(store.get('a')?.last_seen_at, 5000);
});

test('two devices cannot share a token hash', () => {
  db.transaction(() => store.insert(device('a')));
  assert.throws(() => db.transaction(() => store.insert(device('b', { token_hash: 'hash-a' }))));
  assert.equal(store.count(), 1);
});
