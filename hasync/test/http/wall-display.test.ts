import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { type ErrorReply, requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

interface Display {
  screensaver_after_s: number;
  dim_schedule: { from: string; to: string; brightness: number }[];
}

interface AuditEntry {
  action: string;
  actor: string;
  device_id: string | null;
  detail: Record<string, unknown>;
}

const DEFAULT = { screensaver_after_s: 0, dim_schedule: [] };

/** Every event of one `hasync/display/subscribe`, in order, over Home Assistant's own client. */
async function subscribeDisplay(conn: Connection) {
  const events: Record<string, unknown>[] = [];
  const unsubscribe = await conn.subscribeMessage<Record<string, unknown>>(
    (event) => events.push(event),
    { type: 'hasync/display/subscribe' },
  );
  return { events, unsubscribe };
}

describe('wall display settings and admin actions', () => {
  let server: TestServer;
  const url = (path: string) => `${server.adminUrl}${path}`;
  const pairOne = (name = 'Hall tablet') =>
    pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'], name });
  const act = (id: string, body: unknown) =>
    requestJson<{ delivered: number } & ErrorReply>(
      'POST',
      url(`/api/devices/${id}/actions`),
      body,
    );

  before(async () => {
    server = await startDemoServer();
  });
  after(async () => {
    await server.stop();
  });

  test('a device has no screensaver and no dim schedule until an admin sets them', async () => {
    const paired = await pairOne();
    const one = await requestJson<{ display: Display }>(
      'GET',
      url(`/api/devices/${paired.device_id}`),
    );
    assert.deepEqual(one.body.display, DEFAULT);
    const all = await requestJson<{ id: string; display: Display }[]>('GET', url('/api/devices'));
    assert.deepEqual(all.body.find((d) => d.id === paired.device_id)?.display, DEFAULT);
  });

  test('a patch stores the settings, keeps fields left out, and audits the change in words', async () => {
    const paired = await pairOne();
    const path = url(`/api/devices/${paired.device_id}`);
    const dim = [
      { from: '22:00', to: '06:30', brightness: 20 },
      { from: '12:00', to: '13:00', brightness: 60 },
    ];
    const set = await requestJson<{ display: Display }>('PATCH', path, {
      display: { screensaver_after_s: 300, dim_schedule: dim },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.display, { screensaver_after_s: 300, dim_schedule: dim });
    const partial = await requestJson<{ display: Display }>('PATCH', path, {
      display: { screensaver_after_s: 5400 },
    });
    assert.deepEqual(partial.body.display, { screensaver_after_s: 5400, dim_schedule: dim });
    const read = await requestJson<{ display: Display }>('GET', path);
    assert.deepEqual(read.body.display, partial.body.display);

    const audit = await requestJson<AuditEntry[]>(
      'GET',
      url(`/api/audit?device=${paired.device_id}&limit=10`),
    );
    const changes = audit.body
      .filter((e) => e.action === 'device_display_changed')
      .map((e) => e.detail.changes);
    assert.deepEqual(changes, [
      ['screensaver after 1 h 30 min'],
      ['screensaver after 5 min', 'dim schedule: 22:00–06:30 at 20%, 12:00–13:00 at 60%'],
    ]);
    // The same settings again change nothing and are not audited again.
    await requestJson('PATCH', path, { display: { screensaver_after_s: 5400 } });
    const again = await requestJson<AuditEntry[]>(
      'GET',
      url(`/api/audit?device=${paired.device_id}&limit=10`),
    );
    assert.equal(again.body.filter((e) => e.action === 'device_display_changed').length, 2);
  });

  test('settings out of range are refused with 400 saying what is wrong, and change nothing', async () => {
    const paired = await pairOne();
    const path = url(`/api/devices/${paired.device_id}`);
    const window = { from: '22:00', to: '06:00', brightness: 30 };
    const cases: [string, unknown, RegExp][] = [
      [
        'too long an idle time',
        { screensaver_after_s: 86_401 },
        /screensaver_after_s must be <= 86400/,
      ],
      ['a negative idle time', { screensaver_after_s: -1 }, /screensaver_after_s must be >= 0/],
      [
        'a fractional idle time',
        { screensaver_after_s: 1.5 },
        /screensaver_after_s must be integer/,
      ],
      ['too dim', { dim_schedule: [{ ...window, brightness: 5 }] }, /brightness must be >= 10/],
      [
        'too bright',
        { dim_schedule: [{ ...window, brightness: 101 }] },
        /brightness must be <= 100/,
      ],
      ['not a time', { dim_schedule: [{ ...window, from: '24:00' }] }, /from must match pattern/],
      [
        'a missing field',
        { dim_schedule: [{ from: '22:00', to: '06:00' }] },
        /must have required property 'brightness'/,
      ],
      [
        'nine windows',
        {
          dim_schedule: Array.from({ length: 9 }, (_, i) => ({
            from: `0${i}:00`,
            to: `0${i}:30`,
            brightness: 50,
          })),
        },
        /dim_schedule must NOT have more than 8 items/,
      ],
      [
        'an unknown field',
        { screensaver_after_s: 60, color: 'red' },
        /must NOT have additional properties/,
      ],
      ['nothing', {}, /display must NOT have fewer than 1 properties/],
      [
        'an empty window',
        { dim_schedule: [{ ...window, to: '22:00' }] },
        /dim_schedule entry 1 is empty/,
      ],
      [
        'overlapping windows',
        { dim_schedule: [window, { from: '05:00', to: '07:00', brightness: 50 }] },
        /dim_schedule entries 1 and 2 overlap \(both cover 05:00\)/,
      ],
    ];
    for (const [what, display, message] of cases) {
      const res = await requestJson<ErrorReply>('PATCH', path, { name: 'Changed', display });
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error.code, 'invalid_input', what);
      assert.match(res.body.error.message, message, what);
    }
    const device = await requestJson<{ name: string; display: Display }>('GET', path);
    assert.equal(device.body.name, 'Hall tablet');
    assert.deepEqual(device.body.display, DEFAULT);
  });

  test('an action for an unknown device is 404, a bad action 400, an offline device 409', async () => {
    const paired = await pairOne();
    const unknown = await act('no-such-device', { action: 'reload' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    for (const body of [{ action: 'reboot' }, {}, { action: 'reload', extra: 1 }]) {
      const bad = await act(paired.device_id, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.error.code, 'invalid_input');
    }
    const offline = await act(paired.device_id, { action: 'identify' });
    assert.equal(offline.status, 409);
    assert.equal(offline.body.error.code, 'device_offline');
    assert.match(offline.body.error.message, /no open screen/);
  });

  test('a subscribed screen gets its settings at once, on every change, and the admin actions', async () => {
    const paired = await pairOne('Kitchen wall');
    const conn = await connectDevice(server.deviceUrl, paired.token);
    try {
      // Connected but not subscribed: nobody listens for actions yet.
      const early = await act(paired.device_id, { action: 'reload' });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'device_offline');

      const sub = await subscribeDisplay(conn);
      await waitFor(() => sub.events.length === 1, 'the settings at once');
      assert.deepEqual(sub.events[0], { display: DEFAULT });

      const display = {
        screensaver_after_s: 120,
        dim_schedule: [{ from: '21:00', to: '07:00', brightness: 15 }],
      };
      await patchDevice(server.adminUrl, paired.device_id, { display });
      await waitFor(() => sub.events.length === 2, 'the changed settings');
      assert.deepEqual(sub.events[1], { display });
      // A change that leaves the display alone sends nothing.
      await patchDevice(server.adminUrl, paired.device_id, { name: 'Kitchen wall 2' });

      const sent = await act(paired.device_id, { action: 'identify' });
      assert.equal(sent.status, 202);
      assert.deepEqual(sent.body, { delivered: 1 });
      await waitFor(() => sub.events.length === 3, 'the identify action');
      assert.deepEqual(sub.events[2], { action: 'identify' });

      // A second screen of the same device gets it too, and its first event is the new settings.
      const second = await connectDevice(server.deviceUrl, paired.token);
      try {
        const sub2 = await subscribeDisplay(second);
        await waitFor(() => sub2.events.length === 1, 'the second screen’s settings');
        assert.deepEqual(sub2.events[0], { display });
        const both = await act(paired.device_id, { action: 'reload' });
        assert.deepEqual(both.body, { delivered: 2 });
        await waitFor(() => sub2.events.length === 2, 'reload on the second screen');
        assert.deepEqual(sub2.events[1], { action: 'reload' });
        await waitFor(() => sub.events.length === 4, 'reload on the first screen');
        assert.deepEqual(sub.events[3], { action: 'reload' });
      } finally {
        second.close();
      }
      await waitFor(
        async () => (await act(paired.device_id, { action: 'reload' })).body.delivered === 1,
        'one screen left',
      );
      await waitFor(() => sub.events.length === 5, 'reload on the first screen');

      // unsubscribe_events ends it: the device is offline for actions again.
      await sub.unsubscribe();
      const after = await act(paired.device_id, { action: 'identify' });
      assert.equal(after.status, 409);
      assert.equal(after.body.error.code, 'device_offline');
      assert.equal(sub.events.length, 5);
    } finally {
      conn.close();
    }

    const audit = await requestJson<AuditEntry[]>(
      'GET',
      url(`/api/audit?device=${paired.device_id}&limit=20`),
    );
    const sentActions = audit.body
      .filter((e) => e.action === 'device_action_sent')
      .map((e) => e.detail);
    assert.deepEqual(sentActions, [
      { action: 'reload', delivered: 1 },
      { action: 'reload', delivered: 2 },
      { action: 'identify', delivered: 1 },
    ]);
    assert.ok(
      audit.body.filter((e) => e.action === 'device_action_sent').every((e) => e.actor === 'local'),
    );
  });

  test('the subscribe command takes no other fields and counts toward the subscription cap', async () => {
    const paired = await pairOne();
    const socket = await RawSocket.authenticated(server.deviceUrl, paired.token);
    try {
      socket.send({ id: 1, type: 'hasync/display/subscribe', screen: 'main' });
      const refused = await socket.next((f) => f.id === 1);
      assert.equal(refused.success, false);
      assert.equal((refused.error as { code: string }).code, 'invalid_format');
      assert.match((refused.error as { message: string }).message, /extra keys not allowed/);

      for (let id = 2; id <= 101; id++)
        socket.send({ id, type: 'subscribe_events', event_type: 'state_changed' });
      await socket.next((f) => f.id === 101);
      socket.send({ id: 102, type: 'hasync/display/subscribe' });
      const capped = await socket.next((f) => f.id === 102);
      assert.equal(capped.success, false);
      assert.equal((capped.error as { code: string }).code, 'not_allowed');
      assert.match((capped.error as { message: string }).message, /At most 100 subscriptions/);

      socket.send({ id: 103, type: 'unsubscribe_events', subscription: 2 });
      await socket.next((f) => f.id === 103 && f.success === true);
      socket.send({ id: 104, type: 'hasync/display/subscribe' });
      const ok = await socket.next((f) => f.id === 104 && f.type === 'result');
      assert.equal(ok.success, true);
      assert.equal(ok.result, null);
      const first = await socket.next((f) => f.id === 104 && f.type === 'event');
      assert.deepEqual(first.event, { display: DEFAULT });
      socket.send({ id: 105, type: 'unsubscribe_events', subscription: 104 });
      await socket.next((f) => f.id === 105 && f.success === true);
      assert.equal((await act(paired.device_id, { action: 'reload' })).status, 409);
    } finally {
      socket.close();
    }
  });

  test('the OpenAPI document describes the display settings and the actions endpoint', async () => {
    const doc = await requestJson<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      url('/api/openapi.json'),
    );
    const actions = doc.body.paths['/api/devices/{id}/actions'];
    assert.ok(actions?.post, 'POST /api/devices/{id}/actions documented');
    const patch = JSON.stringify(doc.body.paths['/api/devices/{id}']?.patch);
    assert.match(patch, /screensaver_after_s/);
    assert.match(patch, /dim_schedule/);
  });
});
