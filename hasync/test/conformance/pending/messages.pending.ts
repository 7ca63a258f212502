/**
 * PENDING (the frontend issue, design §5c): get_panels and frontend/get_themes, which Home
 * Assistant answers for a non-admin user and its frontend needs, get `unknown_command` from
 * HAsync. Move each into a *.test.ts once HAsync answers them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bothAnswer, type Conformance, startConformance } from '../conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

describe('messages answer as Home Assistant answers its non-admin user', () => {
  // HA: homeassistant/components/frontend/__init__.py websocket_get_themes
  test('frontend/get_themes answers as upstream', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'frontend/get_themes' }]);
    assert.ok(answer);
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/frontend/__init__.py websocket_get_panels
  test('get_panels answers the dashboard panel as upstream does', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'get_panels' }]);
    assert.ok(answer);
    assert.equal(answer.device.success, true);
    const panels = answer.device.result as Record<string, unknown>;
    const upstreamPanels = answer.ha.result as Record<string, unknown>;
    assert.deepEqual(panels.lovelace, upstreamPanels.lovelace);
  });
});
