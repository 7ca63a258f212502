/**
 * What Home Assistant's frontend asks for a dashboard (design §5c), against Home Assistant's
 * answer to its non-admin user: equal where HAsync passes the answer on, HA's shape and error
 * codes where HAsync answers for the device's scope.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  bothAnswer,
  type Conformance,
  entitiesInArea,
  placedEntities,
  startConformance,
} from './conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

type Frame = Record<string, unknown>;

describe('the frontend commands answer as Home Assistant answers its non-admin user', () => {
  // HA: homeassistant/components/frontend/__init__.py websocket_get_themes
  test('frontend/get_themes answers as upstream', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'frontend/get_themes' }]);
    assert.ok(answer);
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/frontend/__init__.py websocket_get_panels
  test('get_panels answers the dashboard panel as upstream does, and no panel HA would not', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'get_panels' }]);
    assert.ok(answer);
    assert.equal(answer.device.success, true);
    const panels = answer.device.result as Record<string, Frame>;
    const upstreamPanels = answer.ha.result as Record<string, Frame>;
    assert.deepEqual(panels.lovelace, upstreamPanels.lovelace);
    for (const [key, panel] of Object.entries(panels)) {
      assert.deepEqual(panel, upstreamPanels[key], key);
      assert.equal(panel.require_admin, false);
    }
    assert.ok(!('config' in panels) && !('developer-tools' in panels));
  });

  // HA: homeassistant/components/frontend/__init__.py websocket_get_translations, websocket_get_icons
  test('translations and icons answer as upstream', async () => {
    const answers = await bothAnswer(c, [
      { id: 1, type: 'frontend/get_translations', language: 'en', category: 'title' },
      { id: 2, type: 'frontend/get_icons', category: 'entity_component', integration: ['light'] },
      { id: 3, type: 'frontend/get_icons', category: 'bogus' },
    ]);
    for (const answer of answers) assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/lovelace/websocket.py websocket_lovelace_config, _resources
  test('lovelace/config and lovelace/resources answer as upstream with no stored dashboard', async () => {
    const answers = await bothAnswer(c, [
      { id: 1, type: 'lovelace/config', url_path: null, force: false },
      { id: 2, type: 'lovelace/config' },
      { id: 3, type: 'lovelace/config', url_path: 'dashboard-family' },
      { id: 4, type: 'lovelace/resources' },
      { id: 5, type: 'lovelace/config', force: 'yes' },
    ]);
    for (const answer of answers) assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/frontend/storage.py websocket_get_user_data, set_user_data
  test('user data answers as upstream (HAsync keeps it per device)', async () => {
    const answers = await bothAnswer(c, [
      { id: 1, type: 'frontend/get_user_data', key: 'core' },
      { id: 2, type: 'frontend/set_user_data', key: 'core', value: { showAdvanced: false } },
      { id: 3, type: 'frontend/get_user_data', key: 'core' },
      { id: 4, type: 'frontend/get_user_data', key: 3 },
      { id: 5, type: 'frontend/set_user_data', key: 'language' },
    ]);
    for (const answer of answers) assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/repairs/websocket_api.py ws_list_issues
  test('repairs/list_issues has HA shape and lists nothing for a device', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'repairs/list_issues' }]);
    assert.ok(answer);
    assert.equal(answer.ha.success, true);
    assert.ok(Array.isArray((answer.ha.result as { issues: unknown }).issues));
    assert.deepEqual(answer.device.result, { issues: [] });
  });

  // HA: homeassistant/components/persistent_notification/__init__.py websocket_subscribe_notifications
  test('persistent_notification/subscribe answers as upstream with no notifications', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'persistent_notification/subscribe' }]);
    assert.ok(answer);
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_subscribe_trigger, handle_execute_script, handle_fire_event (require_admin)
  test('triggers, scripts and events are refused as upstream refuses them', async () => {
    const answers = await bothAnswer(c, [
      { id: 1, type: 'subscribe_trigger', trigger: { platform: 'state', entity_id: 'light.x' } },
      { id: 2, type: 'execute_script', sequence: [] },
      { id: 3, type: 'fire_event', event_type: 'hasync_test' },
    ]);
    for (const answer of answers) assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/recorder/websocket_api.py ws_info, ws_get_statistics_during_period,
  // homeassistant/components/sensor/websocket_api.py ws_numeric_device_classes (one device: the
  // pairing limit allows ten a minute)
  test('recorder/info, sensor/numeric_device_classes and statistics answer as upstream; statistics outside the scope as upstream answers unknown ids', async () => {
    const placed = await placedEntities(await c.haClient());
    const inScope = placed.find((e) => e.area === 'kitchen' && e.entity_id.startsWith('sensor.'));
    const outside = placed.find((e) => e.area !== 'kitchen' && e.entity_id.startsWith('sensor.'));
    assert.ok(inScope && outside);
    const start_time = new Date(Date.now() - 86_400_000).toISOString();
    const ask = (id: number, ids: string[]) => ({
      id,
      type: 'recorder/statistics_during_period',
      start_time,
      statistic_ids: ids,
      period: 'hour',
      types: ['mean', 'min', 'max'],
    });
    const [recorder, numeric, inside, unknown, hidden, invalid] = await bothAnswer(c, [
      { id: 1, type: 'recorder/info' },
      { id: 2, type: 'sensor/numeric_device_classes' },
      ask(3, [inScope.entity_id]),
      ask(4, ['sensor.hasync_nowhere']),
      ask(5, [outside.entity_id]),
      { ...ask(6, [inScope.entity_id]), period: 'fortnight' },
    ]);
    assert.ok(recorder && numeric && inside && unknown && hidden && invalid);
    // The backlog moves between two calls; keys, types and errors do not.
    const shape = (frame: Frame) =>
      frame.success
        ? Object.entries(frame.result as Frame).map(([key, value]) => `${key}:${typeof value}`)
        : frame.error;
    assert.deepEqual(shape(recorder.device), shape(recorder.ha));
    const classes = (frame: Frame) =>
      [...(frame.result as { numeric_device_classes: string[] }).numeric_device_classes].sort();
    assert.equal(numeric.device.success, true);
    assert.deepEqual(classes(numeric.device), classes(numeric.ha));
    for (const answer of [inside, unknown]) assert.deepEqual(answer.device, answer.ha);
    assert.deepEqual(hidden.device, { ...unknown.ha, id: 5 });
    // Without a recorder (the demo home) HA knows no such command, whatever the message holds.
    if ((inside.ha.error as Frame | undefined)?.code !== 'unknown_command')
      assert.deepEqual(invalid.device, invalid.ha);
  });

  // HA: homeassistant/components/config/entity_registry.py websocket_get_entity
  test('config/entity_registry/get answers an entry in scope as upstream, and one outside as upstream answers an unknown one', async () => {
    const admin = await c.haClient();
    const [inScope] = await entitiesInArea(admin, 'kitchen');
    const outside = (await placedEntities(admin)).find(
      (e) => e.area !== 'kitchen' && e.disabled_by === null,
    )?.entity_id;
    assert.ok(inScope && outside);
    const type = 'config/entity_registry/get';
    const answers = await bothAnswer(c, [
      { id: 1, type, entity_id: inScope },
      { id: 2, type, entity_id: 'light.hasync_nowhere' },
      { id: 3, type, entity_id: 'not an entity id' },
      { id: 4, type, entity_id: outside },
    ]);
    const [inside, unknown, invalid, hidden] = answers;
    assert.ok(inside && unknown && invalid && hidden);
    assert.equal(inside.device.success, true);
    for (const answer of [inside, unknown, invalid]) assert.deepEqual(answer.device, answer.ha);
    assert.equal(hidden.ha.success, true, 'HA shows its non-admin user any entry');
    assert.deepEqual(hidden.device, { ...unknown.ha, id: 4 });
  });
});
