import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PICTURE_TOKEN_WINDOW_MS, PictureTokens } from '../../src/access/picture-tokens.ts';

const DEVICE = '5b1c0a5e-2f4e-4d5c-9a51-0d6c1e7f0a11';
const OTHER = '0f0e0d0c-0b0a-4908-8706-050403020100';

function tokenOf(url: string): string {
  return new URLSearchParams(url.split('?')[1]).get('token') ?? '';
}

test("a picture token names its device and opens only its entity's picture", () => {
  const tokens = new PictureTokens(() => 0);
  const url = tokens.rewriterFor(DEVICE)(
    'camera.office',
    '/api/camera_proxy/camera.office?token=ha&x=1',
  );
  assert.match(url, /^\/api\/camera_proxy\/camera\.office\?token=[\w-]+\.[0-9a-f]{64}&x=1$/);
  const token = tokenOf(url);
  assert.equal(tokens.deviceOf('camera.office', token), DEVICE);
  assert.equal(tokens.deviceOf('camera.front_door', token), undefined);
});

test('two devices get different tokens for the same picture', () => {
  const tokens = new PictureTokens(() => 0);
  const mine = tokens.sign(DEVICE, 'camera.office');
  const theirs = tokens.sign(OTHER, 'camera.office');
  assert.notEqual(mine.split('.')[1], theirs.split('.')[1]);
  assert.equal(tokens.deviceOf('camera.office', theirs), OTHER);
});

test('a token whose device id was swapped for another device is refused', () => {
  const tokens = new PictureTokens(() => 0);
  const mac = tokens.sign(DEVICE, 'camera.office').split('.')[1];
  assert.equal(tokens.deviceOf('camera.office', `${OTHER}.${mac}`), undefined);
});

test('forged and malformed tokens are refused', () => {
  const tokens = new PictureTokens(() => 0);
  const other = new PictureTokens(() => 0); // another secret, as after a restart
  for (const forged of [
    other.sign(DEVICE, 'camera.office'),
    `${DEVICE}.${'0'.repeat(64)}`,
    `${DEVICE}.short`,
    `.${'a'.repeat(64)}`,
    'a'.repeat(64),
    '',
    `${DEVICE}.${'é'.repeat(32)}`,
  ])
    assert.equal(tokens.deviceOf('camera.office', forged), undefined, forged);
});

test('a token works in its window and the next, then expires', () => {
  let now = 7 * PICTURE_TOKEN_WINDOW_MS;
  const tokens = new PictureTokens(() => now);
  const token = tokens.sign(DEVICE, 'camera.office');
  now += PICTURE_TOKEN_WINDOW_MS;
  assert.equal(tokens.deviceOf('camera.office', token), DEVICE, 'the previous window still works');
  now += PICTURE_TOKEN_WINDOW_MS;
  assert.equal(tokens.deviceOf('camera.office', token), undefined);
});
