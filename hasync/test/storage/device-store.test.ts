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

/** What a device paired before issue 15's rules (or without any) reads as. */
const NO_RULES = {
  floors: [],
  labels: [],
  domains: [],
  view_only: [],
  view_only_domains: [],
  expires_at: null,
  schedule: null,
  has_action_pin: false,
  pin_domains: [],
  dashboard: null,
  display: { screensaver_after_s: 0, dim_schedule: [] },
};

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
    ...NO_RULES,
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

test('keeps the dashboard a device is given until it is set back to null (generated)', () => {
  db.transaction(() => store.insert(device('a')));
  assert.equal(store.get('a')?.dashboard, null);
  store.update('a', { dashboard: 'dashboard-wall' });
  store.update('a', { name: 'Renamed' });
  assert.equal(store.get('a')?.dashboard, 'dashboard-wall');
  store.update('a', { dashboard: null });
  assert.equal(store.get('a')?.dashboard, null);
});

test('keeps wall-display settings; a device stored before them reads as no screensaver, no dimming', () => {
  db.transaction(() => store.insert(device('w')));
  assert.deepEqual(store.get('w')?.display, { screensaver_after_s: 0, dim_schedule: [] });
  const display = {
    screensaver_after_s: 600,
    dim_schedule: [{ from: '23:00', to: '06:00', brightness: 10 }],
  };
  store.update('w', { display });
  store.update('w', { name: 'Renamed' });
  assert.deepEqual(store.get('w')?.display, display);
  assert.deepEqual(store.list().find((d) => d.id === 'w')?.display, display);
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

test('household rules are stored, read back and cleared; the PIN hash never leaves the store', () => {
  db.transaction(() => store.insert(device('a')));
  const schedule = [{ days: ['mon', 'fri'] as const, from: '09:00', to: '17:00' }];
  db.transaction(() =>
    store.update('a', {
      floors: ['ground_floor'],
      labels: ['kids', 'kids'],
      domains: ['climate'],
      view_only: ['lock.front_door'],
      view_only_domains: ['alarm_control_panel'],
      expires_at: '2026-12-31T22:00:00.000Z',
      schedule,
      action_pin_hash: 'scrypt$salt$key',
      pin_domains: ['lock'],
    }),
  );
  const stored = store.get('a');
  assert.deepEqual(stored?.floors, ['ground_floor']);
  assert.deepEqual(stored?.labels, ['kids'], 'a list holds each id once');
  assert.deepEqual(stored?.domains, ['climate']);
  assert.deepEqual(stored?.view_only, ['lock.front_door']);
  assert.deepEqual(stored?.view_only_domains, ['alarm_control_panel']);
  assert.equal(stored?.expires_at, '2026-12-31T22:00:00.000Z');
  assert.deepEqual(stored?.schedule, schedule);
  assert.equal(stored?.has_action_pin, true);
  assert.deepEqual(stored?.pin_domains, ['lock']);
  assert.ok(!JSON.stringify(stored).includes('scrypt'), 'a record carries no PIN hash');
  assert.equal(store.actionPinHash('a'), 'scrypt$salt$key');
  assert.deepEqual(store.list()[0], stored);

  db.transaction(() =>
    store.update('a', { expires_at: null, schedule: null, action_pin_hash: null, labels: [] }),
  );
  const cleared = store.get('a');
  assert.equal(cleared?.expires_at, null);
  assert.equal(cleared?.schedule, null);
  assert.equal(cleared?.has_action_pin, false);
  assert.deepEqual(cleared?.labels, []);
  assert.deepEqual(cleared?.floors, ['ground_floor'], 'lists not given stay');
  assert.equal(store.actionPinHash('a'), undefined);
});
