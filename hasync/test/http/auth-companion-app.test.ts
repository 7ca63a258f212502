import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createConnection, createLongLivedTokenAuth } from 'home-assistant-js-websocket';
import {
  CLIENT_WRONG_PIN_WINDOW_MS,
  MAX_WRONG_PINS_PER_CLIENT,
} from '../../src/pairing/pairing-service.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';

const ANDROID = 'https://home-assistant.io/android';
const IOS = 'https://home-assistant.io/iOS';
const CALLBACK = 'homeassistant://auth-callback';

let now = Date.now();
const clock = { now: () => now };
let server: TestServer;

before(async () => {
  server = await startDemoServer({ clock });
});
after(async () => {
  await server.stop();
});

function flowFrom(address: string | undefined, body: Record<string, unknown>, flowId?: string) {
  const url = `${server.deviceUrl}/auth/login_flow${flowId ? `/${flowId}` : ''}`;
  return requestFrom(address, 'POST', url, JSON.stringify(body));
}

async function openFlow(address?: string, clientId = ANDROID): Promise<string> {
  const res = await flowFrom(address, {
    client_id: clientId,
    handler: ['hasync', null],
    redirect_uri: CALLBACK,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return String(res.body?.flow_id);
}

// The Android Companion app's first connection, in order (home-assistant/android:
// onboarding/…/AuthenticationFragment (WebView on /auth/authorize with its client id),
// AuthenticationRepositoryImpl.registerAuthorizationCode (form POST /auth/token), the WebSocket's
// auth/current_user and get_config, then IntegrationRepositoryImpl.registerDevice
// (POST /api/mobile_app/registrations), whose 404 the app shows as error_with_registration).
test('the Android Companion app logs in and gets a clear refusal for mobile_app registration', async () => {
  const page = await fetch(
    `${server.deviceUrl}/auth/authorize?response_type=code&client_id=${encodeURIComponent(ANDROID)}&redirect_uri=${encodeURIComponent(CALLBACK)}`,
  );
  assert.equal(page.status, 200);
  const providers = await requestJson('GET', `${server.deviceUrl}/auth/providers`);
  assert.equal(providers.status, 200);
  const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const flowId = await openFlow();
  const done = await flowFrom(undefined, { client_id: ANDROID, pin: offer.pin }, flowId);
  assert.equal(done.body?.type, 'create_entry');

  const token = await fetch(`${server.deviceUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: String(done.body?.result),
      client_id: ANDROID,
    }).toString(),
  });
  assert.equal(token.status, 200);
  const tokens = (await token.json()) as { access_token: string; refresh_token: string };

  const conn = await createConnection({
    auth: createLongLivedTokenAuth(server.deviceUrl, tokens.access_token),
  });
  const user = await conn.sendMessagePromise<{ id: string; name: string; is_admin: boolean }>({
    type: 'auth/current_user',
  });
  assert.equal(user.is_admin, false);
  const device = await requestJson<{ name: string; type: string }>(
    'GET',
    `${server.adminUrl}/api/devices/${user.id}`,
  );
  assert.equal(device.body.name, 'Android Companion app');
  assert.equal(device.body.type, 'companion_app');
  const config = await conn.sendMessagePromise<{ version: string }>({ type: 'get_config' });
  assert.equal(typeof config.version, 'string');
  conn.close();

  const registration = await requestJson<{ message: string }>(
    'POST',
    `${server.deviceUrl}/api/mobile_app/registrations`,
    {
      app_id: 'io.homeassistant.companion.android',
      device_name: 'Pixel',
      supports_encryption: false,
    },
    { authorization: `Bearer ${tokens.access_token}` },
  );
  assert.equal(registration.status, 404);
  assert.match(registration.body.message, /does not register Companion apps/);
  const anonymous = await requestJson(
    'POST',
    `${server.deviceUrl}/api/mobile_app/registrations`,
    {},
  );
  assert.equal(anonymous.status, 401);
  const webhook = await requestJson('POST', `${server.deviceUrl}/api/webhook/abc`, {
    type: 'get_config',
  });
  assert.equal(webhook.status, 404);

  // The app then revokes its session (LaunchActivity): the device goes with it.
  const revoke = await fetch(`${server.deviceUrl}/auth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${tokens.refresh_token}`,
  });
  assert.equal(revoke.status, 200);
  const gone = await requestJson('GET', `${server.adminUrl}/api/devices/${user.id}`);
  assert.equal(gone.status, 404);
});

// The iOS Companion app's first connection, in order (home-assistant/iOS, read at d722d781):
// Sources/App/Onboarding/API/OnboardingAuth.swift runs the pre-step OnboardingAuthStepConnectivity
// (a GET of the authorize URL itself, which must answer 2xx; Android reads /manifest.json), the
// login in a web session on /auth/authorize (OnboardingAuthLogin, OnboardingAuthDetails: client id
// https://home-assistant.io/iOS, homeassistant://auth-callback), the code exchange
// (HANetworking AuthenticationRoutes: form POST /auth/token), then OnboardingAuthStepDeviceNaming
// (WebSocket config/device_registry/list; Android asks auth/current_user and get_config) and
// OnboardingAuthStepRegister (HAAPI.register: POST /api/mobile_app/registrations, a 404 becomes
// APIError.mobileAppComponentNotLoaded). On that failure undoConfigure revokes with
// TokenManager.revokeToken: form POST /auth/token action=revoke with the ACCESS token, which Home
// Assistant ignores (auth/__init__.py revokes only a refresh token found by that string) — and so
// does HAsync: the device stays until the admin removes it.
test('the iOS Companion app logs in, lists devices and gets the same refusal; its access-token revoke changes nothing', async () => {
  const authorize = `${server.deviceUrl}/auth/authorize?response_type=code&client_id=${encodeURIComponent(IOS)}&redirect_uri=${encodeURIComponent(CALLBACK)}`;
  const connectivity = await fetch(authorize);
  assert.equal(connectivity.status, 200);
  await connectivity.arrayBuffer();
  const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const flowId = await openFlow(undefined, IOS);
  const done = await flowFrom(undefined, { client_id: IOS, pin: offer.pin }, flowId);
  assert.equal(done.body?.type, 'create_entry');

  const token = await fetch(`${server.deviceUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: IOS,
      grant_type: 'authorization_code',
      code: String(done.body?.result),
    }).toString(),
  });
  assert.equal(token.status, 200);
  const tokens = (await token.json()) as { access_token: string; token_type: string };
  assert.equal(tokens.token_type, 'Bearer');

  const conn = await createConnection({
    auth: createLongLivedTokenAuth(server.deviceUrl, tokens.access_token),
  });
  const devices = await conn.sendMessagePromise<{ identifiers: unknown; name: string }[]>({
    type: 'config/device_registry/list',
  });
  assert.ok(Array.isArray(devices) && devices.length > 0, 'the kitchen’s devices');
  // RegisteredDevice(data:) skips an entry without identifiers; the app compares names.
  for (const entry of devices) assert.ok(Array.isArray(entry.identifiers), entry.name);
  const user = await conn.sendMessagePromise<{ id: string }>({ type: 'auth/current_user' });
  conn.close();

  const registration = await requestJson<{ message: string }>(
    'POST',
    `${server.deviceUrl}/api/mobile_app/registrations`,
    {
      app_id: 'io.robbie.HomeAssistant',
      app_name: 'Home Assistant',
      device_name: 'iPad',
      manufacturer: 'Apple',
      os_name: 'iPadOS',
      supports_encryption: true,
    },
    { authorization: `Bearer ${tokens.access_token}` },
  );
  assert.equal(registration.status, 404, 'what the app reports as mobile_app not loaded');
  assert.match(registration.body.message, /does not register Companion apps/);

  const revoke = await fetch(`${server.deviceUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'revoke', token: tokens.access_token }).toString(),
  });
  assert.equal(revoke.status, 200);
  const kept = await requestJson<{ name: string; type: string }>(
    'GET',
    `${server.adminUrl}/api/devices/${user.id}`,
  );
  assert.equal(kept.status, 200);
  assert.deepEqual([kept.body.name, kept.body.type], ['iOS Companion app', 'companion_app']);
});

test('wrong PINs from one address are refused with 429 like POST /api/pair, and the QR code still logs in', async () => {
  const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const address = loopbackAddress(7);
  const flowId = await openFlow(address);
  const wrong = offer.pin === '000000' ? '111111' : '000000';
  for (let i = 0; i < MAX_WRONG_PINS_PER_CLIENT; i++) {
    const res = await flowFrom(address, { client_id: ANDROID, pin: wrong }, flowId);
    assert.deepEqual(res.body?.errors, { base: 'invalid_auth' });
  }
  const refused = await flowFrom(address, { client_id: ANDROID, pin: offer.pin }, flowId);
  assert.equal(refused.status, 429);
  assert.match(String(refused.body?.message), /too many wrong PINs/);
  const byCode = await flowFrom(address, { client_id: ANDROID, code: offer.code }, flowId);
  assert.equal(byCode.body?.type, 'create_entry');
  now += CLIENT_WRONG_PIN_WINDOW_MS;
});

test('a flow answers only the address that opened it, and at most 10 attempts a minute per address', async () => {
  const address = loopbackAddress(8);
  const flowId = await openFlow(address);
  const moved = await flowFrom(loopbackAddress(9), { client_id: ANDROID, pin: '123456' }, flowId);
  assert.equal(moved.status, 400);
  assert.deepEqual(moved.body, { message: 'IP address changed' });
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    statuses.push((await flowFrom(address, { client_id: ANDROID }, flowId)).status);
  }
  assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
});

test('wrong PINs spread over many addresses disable the PIN, not the pairing', async () => {
  const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const wrong = offer.pin === '000000' ? '111111' : '000000';
  for (let n = 0; n < 20; n++) {
    const address = loopbackAddress(100 + n);
    const flowId = await openFlow(address);
    const res = await flowFrom(address, { client_id: ANDROID, pin: wrong }, flowId);
    assert.deepEqual(res.body?.errors, { base: 'invalid_auth' });
  }
  const address = loopbackAddress(200);
  const flowId = await openFlow(address);
  const right = await flowFrom(address, { client_id: ANDROID, pin: offer.pin }, flowId);
  assert.deepEqual(right.body?.errors, { base: 'pairing_gone' });
  assert.match(
    String((right.body?.description_placeholders as { reason?: string } | undefined)?.reason),
    /QR code/,
  );
  const byCode = await flowFrom(address, { client_id: ANDROID, code: offer.code }, flowId);
  assert.equal(byCode.body?.type, 'create_entry');
});
