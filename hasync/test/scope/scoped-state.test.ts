import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HassState } from '../../src/protocol/home-assistant.ts';
import { scopeState } from '../../src/scope/scoped-state.ts';

const at = '2026-01-01T00:00:00.000001+00:00';
function state(entityId: string, attributes: Record<string, unknown>): HassState {
  return {
    entity_id: entityId,
    state: 'on',
    attributes,
    last_changed: at,
    last_updated: at,
    context: { id: 'c', parent_id: null, user_id: null },
  };
}
const scope = new Set(['light.kitchen', 'media_player.kitchen', 'camera.office']);
const rewrite = (id: string, url: string) => `rewritten:${id}:${url.split('?')[0]}`;

test('a state without sensitive attributes is passed on as the very same object', () => {
  const plain = state('light.kitchen', { brightness: 3, friendly_name: 'Kitchen' });
  assert.equal(scopeState(plain, scope, rewrite), plain);
});

test('attributes listing entities keep only those in scope', () => {
  const group = state('light.group', {
    entity_id: ['light.kitchen', 'lock.front_door'],
    group_members: ['media_player.kitchen', 'media_player.hall'],
    device_trackers: ['device_tracker.phone'],
    persons: [],
  });
  const seen = scopeState(group, scope, rewrite);
  assert.deepEqual(seen.attributes, {
    entity_id: ['light.kitchen'],
    group_members: ['media_player.kitchen'],
    device_trackers: [],
    persons: [],
  });
  assert.deepEqual(group.attributes.entity_id, ['light.kitchen', 'lock.front_door'], 'not mutated');
});

test("Home Assistant's access token is dropped and its picture URL rewritten", () => {
  const camera = state('camera.office', {
    access_token: 'ha-secret',
    entity_picture: '/api/camera_proxy/camera.office?token=ha-secret',
  });
  const seen = scopeState(camera, scope, rewrite);
  assert.equal('access_token' in seen.attributes, false);
  assert.equal(
    seen.attributes.entity_picture,
    'rewritten:camera.office:/api/camera_proxy/camera.office',
  );
  assert.doesNotMatch(JSON.stringify(seen), /ha-secret/);
});

test("the access token becomes the device's picture token, for the frontend's live camera view", () => {
  const camera = state('camera.office', {
    access_token: 'ha-secret',
    entity_picture: '/api/camera_proxy/camera.office?token=ha-secret',
  });
  const seen = scopeState(
    camera,
    scope,
    (id, url) => `${url.split('?')[0]}?token=dev-1.mac-of-${id}`,
  );
  assert.equal(seen.attributes.access_token, 'dev-1.mac-of-camera.office');
  assert.doesNotMatch(JSON.stringify(seen), /ha-secret/);
});

test('a picture elsewhere (a brand icon) is left alone', () => {
  const update = state('update.x', { entity_picture: 'https://brands.example/icon.png' });
  assert.equal(scopeState(update, scope, rewrite), update);
});
