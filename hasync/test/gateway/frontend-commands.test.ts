import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;
/** Two kitchen devices (pairing is rate-limited per client, so the tests share them). */
let tokens: [string, string];

before(async () => {
  server = await startDemoServer();
  const pairKitchen = () => pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  tokens = [(await pairKitchen()).token, (await pairKitchen()).token];
});
after(async () => {
  await server.stop();
});

type Frame = Record<string, unknown>;

async function kitchenSocket(which: 0 | 1 = 0): Promise<{ socket: RawSocket; token: string }> {
  const token = tokens[which];
  return { socket: await RawSocket.authenticated(server.deviceUrl, token), token };
}

let nextId = 1;
async function ask(socket: RawSocket, message: Frame): Promise<Frame> {
  const id = nextId++;
  socket.send({ id, ...message });
  return socket.next((f) => f.id === id && f.type === 'result');
}

describe('what the frontend asks for a dashboard', () => {
  // HA: homeassistant/components/frontend/__init__.py websocket_get_panels
  test('get_panels offers the dashboard and the profile, never config or developer tools', async () => {
    const { socket } = await kitchenSocket();
    try {
      const answer = await ask(socket, { type: 'get_panels' });
      assert.equal(answer.success, true);
      const panels = answer.result as Record<string, Frame>;
      assert.deepEqual(Object.keys(panels).sort(), ['lovelace', 'profile']);
      assert.deepEqual(panels.lovelace, {
        component_name: 'lovelace',
        icon: null,
        title: null,
        config: { mode: 'storage' },
        url_path: 'lovelace',
        require_admin: false,
        config_panel_domain: null,
      });
    } finally {
      socket.close();
    }
  });

  test('themes, translations, icons and lovelace resources are upstream answers', async () => {
    const { socket } = await kitchenSocket();
    try {
      const themes = await ask(socket, { type: 'frontend/get_themes' });
      assert.deepEqual(themes.result, {
        themes: {},
        default_theme: 'default',
        default_dark_theme: null,
      });
      const titles = await ask(socket, {
        type: 'frontend/get_translations',
        language: 'en',
        category: 'title',
      });
      assert.equal(
        (titles.result as { resources: Frame }).resources['component.light.title'],
        'Light',
      );
      const icons = await ask(socket, {
        type: 'frontend/get_icons',
        category: 'entity_component',
        integration: 'light',
      });
      assert.deepEqual(icons.result, { resources: { light: { _: { default: 'mdi:lightbulb' } } } });
      assert.deepEqual((await ask(socket, { type: 'lovelace/resources' })).result, []);
    } finally {
      socket.close();
    }
  });

  // HA: homeassistant/components/frontend/__init__.py websocket_get_icons (vol.In categories)
  test('a command the schema refuses gets invalid_format in Home Assistant words', async () => {
    const { socket } = await kitchenSocket();
    try {
      const icons = await ask(socket, { type: 'frontend/get_icons', category: 'secrets' });
      assert.equal((icons.error as Frame).code, 'invalid_format');
      const set = await ask(socket, { type: 'frontend/set_user_data', key: 'k' });
      assert.deepEqual(set.error, {
        code: 'invalid_format',
        message: "required key not provided @ data['value']. Got None",
      });
    } finally {
      socket.close();
    }
  });

  // HA: homeassistant/components/lovelace/websocket.py _handle_errors
  test('lovelace/config has no stored dashboard, so the frontend generates one from the scope', async () => {
    const { socket } = await kitchenSocket();
    try {
      const answer = await ask(socket, { type: 'lovelace/config', force: false });
      assert.deepEqual(answer.error, { code: 'config_not_found', message: 'No config found.' });
      const other = await ask(socket, { type: 'lovelace/config', url_path: 'dashboard-family' });
      assert.deepEqual(other.error, {
        code: 'config_not_found',
        message: 'Unknown config specified: dashboard-family',
      });
    } finally {
      socket.close();
    }
  });

  // HA: homeassistant/components/persistent_notification/__init__.py websocket_subscribe_notifications
  test('repairs and persistent notifications show the device nothing', async () => {
    const { socket } = await kitchenSocket();
    try {
      assert.deepEqual((await ask(socket, { type: 'repairs/list_issues' })).result, { issues: [] });
      const subscribed = await ask(socket, { type: 'persistent_notification/subscribe' });
      assert.equal(subscribed.result, null);
      const event = await socket.next((f) => f.id === subscribed.id && f.type === 'event');
      assert.deepEqual(event.event, { type: 'current', notifications: {} });
      const unsubscribed = await ask(socket, {
        type: 'unsubscribe_events',
        subscription: subscribed.id,
      });
      assert.equal(unsubscribed.success, true);
    } finally {
      socket.close();
    }
  });

  test('templates, triggers, scripts, events and search are refused whatever the message holds', async () => {
    const { socket } = await kitchenSocket();
    try {
      for (const message of [
        { type: 'render_template', template: '{{ states.lock.front_door.state }}' },
        { type: 'subscribe_trigger', trigger: { platform: 'state', entity_id: 'lock.front_door' } },
        { type: 'execute_script', sequence: [{ service: 'lock.unlock' }] },
        { type: 'fire_event', event_type: 'call_service' },
        { type: 'search/related', item_type: 'entity', item_id: 'lock.back_door' },
      ]) {
        const answer = await ask(socket, message);
        assert.deepEqual(
          answer.error,
          { code: 'unauthorized', message: 'Unauthorized' },
          message.type,
        );
      }
    } finally {
      socket.close();
    }
  });

  // The demo home, like the real-HA harness, loads no recorder: HA answers unknown_command.
  test('history and logbook are unknown where Home Assistant has none', async () => {
    const { socket } = await kitchenSocket();
    try {
      const start_time = new Date(Date.now() - 3_600_000).toISOString();
      const history = await ask(socket, {
        type: 'history/stream',
        start_time,
        entity_ids: ['light.kitchen_ceiling'],
      });
      assert.deepEqual(history.error, { code: 'unknown_command', message: 'Unknown command.' });
      const logbook = await ask(socket, {
        type: 'logbook/event_stream',
        start_time,
        entity_ids: ['light.kitchen_ceiling'],
      });
      assert.equal((logbook.error as Frame).code, 'unknown_command');
    } finally {
      socket.close();
    }
  });
});

describe('frontend user data is kept per device by HAsync', () => {
  // HA: homeassistant/components/frontend/storage.py websocket_get_user_data / set_user_data
  test('a value set by one device is read back by it, survives a reconnect, and no other device sees it', async () => {
    const first = await kitchenSocket(0);
    const other = await kitchenSocket(1);
    try {
      assert.deepEqual(
        (await ask(first.socket, { type: 'frontend/get_user_data', key: 'core' })).result,
        {
          value: null,
        },
      );
      const set = await ask(first.socket, {
        type: 'frontend/set_user_data',
        key: 'core',
        value: { showAdvanced: false, debugConnection: true },
      });
      assert.equal(set.success, true);
      assert.equal(set.result, null);
      first.socket.close();
      const again = await RawSocket.authenticated(server.deviceUrl, first.token);
      try {
        assert.deepEqual(
          (await ask(again, { type: 'frontend/get_user_data', key: 'core' })).result,
          {
            value: { showAdvanced: false, debugConnection: true },
          },
        );
        assert.deepEqual((await ask(again, { type: 'frontend/get_user_data' })).result, {
          value: { core: { showAdvanced: false, debugConnection: true } },
        });
      } finally {
        again.close();
      }
      assert.deepEqual((await ask(other.socket, { type: 'frontend/get_user_data' })).result, {
        value: {},
      });
    } finally {
      first.socket.close();
      other.socket.close();
    }
  });

  test('subscribe_user_data hears the value at once and every change from any session of the device', async () => {
    const { socket, token } = await kitchenSocket();
    const second = await RawSocket.authenticated(server.deviceUrl, token);
    try {
      const subscribed = await ask(socket, {
        type: 'frontend/subscribe_user_data',
        key: 'language',
      });
      assert.equal(subscribed.result, null);
      const events = () =>
        socket.frames.filter((f) => f.id === subscribed.id && f.type === 'event');
      await socket.next((f) => f.id === subscribed.id && f.type === 'event');
      assert.deepEqual(events()[0]?.event, { value: null });
      await ask(second, { type: 'frontend/set_user_data', key: 'sidebar', value: { hidden: [] } });
      await ask(second, {
        type: 'frontend/set_user_data',
        key: 'language',
        value: { language: 'nl' },
      });
      await socket.next(() => events().length === 2);
      assert.deepEqual(events()[1]?.event, { value: { language: 'nl' } });
    } finally {
      socket.close();
      second.close();
    }
  });

  test('a device keeps at most 64 keys', async () => {
    const { socket } = await kitchenSocket(1);
    try {
      for (let i = 0; i < 64; i++) {
        const set = await ask(socket, { type: 'frontend/set_user_data', key: `k${i}`, value: i });
        assert.equal(set.success, true);
      }
      const over = await ask(socket, { type: 'frontend/set_user_data', key: 'k64', value: 1 });
      assert.equal((over.error as Frame).code, 'not_allowed');
      const overwrite = await ask(socket, {
        type: 'frontend/set_user_data',
        key: 'k0',
        value: 'x',
      });
      assert.equal(overwrite.success, true);
    } finally {
      socket.close();
    }
  });
});
