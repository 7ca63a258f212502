import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Auth,
  type AuthData,
  createConnection,
  ERR_INVALID_AUTH,
  getAuth,
  type HassEntity,
} from 'home-assistant-js-websocket';
import { AUTH_CODE_TTL_MS } from '../../src/pairing/login-flows.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';
import { openSse } from '../helpers/sse.ts';

interface FlowReply {
  type: string;
  flow_id: string;
  step_id?: string;
  handler: unknown[];
  data_schema?: { name: string }[];
  errors?: { base: string } | null;
  result?: string;
}

interface TokenReply {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  ha_auth_provider: string;
  error?: string;
  error_description?: string;
}

/** What Home Assistant's frontend does: providers, then a flow with its own origin as client. */
async function startFlow(url: string, clientId: string, redirectUri: string) {
  return requestJson<FlowReply & { message?: string }>('POST', `${url}/auth/login_flow`, {
    client_id: clientId,
    handler: ['hasync', null],
    redirect_uri: redirectUri,
  });
}

function submit(url: string, flowId: string, body: Record<string, unknown>) {
  return requestJson<FlowReply & { message?: string }>(
    'POST',
    `${url}/auth/login_flow/${flowId}`,
    body,
  );
}

/** A form-encoded POST, as the Companion apps send it; JSON answers parsed. */
async function postForm<T = TokenReply>(url: string, form: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

function tokenForm(url: string, form: Record<string, string>) {
  return postForm(`${url}/auth/token`, form);
}

/** Logs in with a fresh PIN and returns the authorization code. */
async function loginCode(server: TestServer, clientId: string, scope = { areas: ['kitchen'] }) {
  const offer = await createPairing(server.adminUrl, scope);
  const flow = await startFlow(server.deviceUrl, clientId, `${clientId}?auth_callback=1`);
  const done = await submit(server.deviceUrl, flow.body.flow_id, {
    client_id: clientId,
    pin: offer.pin,
    name: 'Hall tablet',
  });
  assert.equal(done.body.type, 'create_entry', JSON.stringify(done.body));
  return { code: done.body.result ?? '', offer };
}

// HA: homeassistant/components/auth/login_flow.py, __init__.py (TokenView, RevokeTokenView),
// the flow as Home Assistant's frontend and home-assistant-js-websocket (auth.ts) drive it.
describe('logging in with Home Assistant’s login flow', () => {
  let now = Date.now();
  const clock = { now: () => now };
  let server: TestServer;
  let clientId: string;

  before(async () => {
    server = await startDemoServer({ clock });
    clientId = `${server.deviceUrl}/`;
  });
  after(async () => {
    await server.stop();
  });

  test('offers one HAsync provider in Home Assistant’s object form', async () => {
    const res = await requestJson('GET', `${server.deviceUrl}/auth/providers`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      providers: [{ name: 'HAsync', id: null, type: 'hasync' }],
      preselect_remember_me: true,
    });
  });

  test('a PIN logs in, the access token works on the WebSocket and is scoped, refresh works, and revoking the device kills both', async () => {
    const events = await openSse(`${server.adminUrl}/api/events`);
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    const flow = await startFlow(server.deviceUrl, clientId, `${clientId}?auth_callback=1`);
    assert.equal(flow.status, 200);
    assert.equal(flow.body.type, 'form');
    assert.equal(flow.body.step_id, 'init');
    assert.deepEqual(flow.body.handler, ['hasync', null]);
    assert.deepEqual(
      flow.body.data_schema?.map((field) => field.name),
      ['pin', 'name'],
    );
    // HA: homeassistant/data_entry_flow.py — a form without errors carries {} (checked against 2024.3.3)
    assert.deepEqual(flow.body.errors, {});

    const wrong = await submit(server.deviceUrl, flow.body.flow_id, {
      client_id: clientId,
      pin: offer.pin === '000000' ? '111111' : '000000',
    });
    assert.equal(wrong.status, 200);
    assert.deepEqual(wrong.body.errors, { base: 'invalid_auth' });

    const done = await submit(server.deviceUrl, flow.body.flow_id, {
      client_id: clientId,
      pin: offer.pin,
      name: 'Hall tablet',
    });
    assert.equal(done.body.type, 'create_entry');
    assert.match(done.body.result ?? '', /^[0-9a-f]{64}$/);

    // The admin sees the pairing complete live, with the preset scope, and it is audited.
    const completed = await events.next('pairing_completed');
    events.close();
    const deviceId = (completed.data as { device_id: string }).device_id;
    const device = await requestJson<{ name: string; type: string; areas: string[] }>(
      'GET',
      `${server.adminUrl}/api/devices/${deviceId}`,
    );
    assert.equal(device.body.name, 'Hall tablet');
    assert.equal(device.body.type, 'browser');
    assert.deepEqual(device.body.areas, ['kitchen']);
    const audit = await requestJson<{ action: string; device_id: string | null }[]>(
      'GET',
      `${server.adminUrl}/api/audit?limit=5`,
    );
    assert.ok(audit.body.some((e) => e.action === 'pairing_completed' && e.device_id === deviceId));

    // home-assistant-js-websocket exchanges the code (multipart FormData, as the frontend does).
    let saved: AuthData | null = null;
    const auth = await getAuth({
      hassUrl: server.deviceUrl,
      clientId,
      authCode: done.body.result ?? '',
      saveTokens: (data) => {
        saved = data;
      },
    });
    assert.equal((auth.data as AuthData & { token_type: string }).token_type, 'Bearer');
    assert.equal(auth.data.expires_in, 1800);
    assert.equal((auth.data as AuthData & { ha_auth_provider: string }).ha_auth_provider, 'hasync');
    assert.ok(saved);

    const conn = await createConnection({ auth });
    const user = await conn.sendMessagePromise<{ id: string; is_admin: boolean }>({
      type: 'auth/current_user',
    });
    assert.equal(user.id, deviceId);
    assert.equal(user.is_admin, false);
    const states = await conn.sendMessagePromise<HassEntity[]>({ type: 'get_states' });
    assert.ok(states.length > 0);
    const rest = await requestJson<HassEntity[]>(
      'GET',
      `${server.deviceUrl}/api/states`,
      undefined,
      {
        authorization: `Bearer ${auth.accessToken}`,
      },
    );
    assert.deepEqual(
      rest.body.map((s) => s.entity_id).sort(),
      states.map((s) => s.entity_id).sort(),
    );
    const scope = await requestJson<{ scope: string[] }>(
      'GET',
      `${server.adminUrl}/api/devices/${deviceId}`,
    );
    assert.deepEqual(states.map((s) => s.entity_id).sort(), [...scope.body.scope].sort());

    const before = auth.accessToken;
    await auth.refreshAccessToken();
    assert.notEqual(auth.accessToken, before);
    const again = await createConnection({ auth });
    again.close();

    const closed = new Promise<void>((resolve) =>
      conn.addEventListener('disconnected', () => resolve()),
    );
    const revoked = await requestJson('DELETE', `${server.adminUrl}/api/devices/${deviceId}`);
    assert.equal(revoked.status, 204);
    await closed;
    conn.close();
    await assert.rejects(auth.refreshAccessToken(), (err) => err === ERR_INVALID_AUTH);
    const refused = await tokenForm(server.deviceUrl, {
      grant_type: 'refresh_token',
      refresh_token: auth.data.refresh_token,
      client_id: clientId,
    });
    assert.deepEqual(refused.body, { error: 'invalid_grant' });
    await assert.rejects(
      createConnection({ auth, setupRetry: 0 }),
      (err) => err === ERR_INVALID_AUTH,
    );
  });

  test('a code works once, only for its client, and only for ten minutes', async () => {
    const { code } = await loginCode(server, clientId);
    const other = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: 'http://elsewhere.example/',
    });
    assert.equal(other.status, 400);
    assert.deepEqual(other.body, { error: 'invalid_request', error_description: 'Invalid code' });

    const ok = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(ok.body).sort(), [
      'access_token',
      'expires_in',
      'ha_auth_provider',
      'refresh_token',
      'token_type',
    ]);
    const reused = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
    });
    assert.deepEqual(reused.body, { error: 'invalid_request', error_description: 'Invalid code' });

    // A refresh token answers only to the client it was issued to (HA: invalid_request).
    const wrongClient = await tokenForm(server.deviceUrl, {
      grant_type: 'refresh_token',
      refresh_token: ok.body.refresh_token,
      client_id: 'http://elsewhere.example/',
    });
    assert.deepEqual(wrongClient.body, { error: 'invalid_request' });
    const bogus = await tokenForm(server.deviceUrl, {
      grant_type: 'refresh_token',
      refresh_token: 'hasync_refresh_nothing',
      client_id: clientId,
    });
    assert.deepEqual(bogus.body, { error: 'invalid_grant' });
    const badGrant = await tokenForm(server.deviceUrl, { grant_type: 'password' });
    assert.deepEqual(badGrant.body, { error: 'unsupported_grant_type' });

    const late = await loginCode(server, clientId);
    const devicesBefore = await requestJson<{ id: string }[]>(
      'GET',
      `${server.adminUrl}/api/devices`,
    );
    now += AUTH_CODE_TTL_MS + 1000;
    const expired = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code: late.code,
      client_id: clientId,
    });
    assert.deepEqual(expired.body, { error: 'invalid_request', error_description: 'Invalid code' });
    // The device of a code nobody claimed is revoked: it has no credential anybody holds.
    const devicesAfter = await requestJson<{ id: string }[]>(
      'GET',
      `${server.adminUrl}/api/devices`,
    );
    assert.equal(devicesAfter.body.length, devicesBefore.body.length - 1);
  });

  test('an access token expires after 30 minutes and a refresh brings a new one', async () => {
    const { code } = await loginCode(server, clientId);
    const tokens = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
    });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const api = (token: string) =>
      requestJson('GET', `${server.deviceUrl}/api/`, undefined, bearer(token));
    assert.equal((await api(tokens.body.access_token)).status, 200);
    now += 1800 * 1000;
    assert.equal((await api(tokens.body.access_token)).status, 401);
    const fresh = await tokenForm(server.deviceUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: clientId,
    });
    assert.deepEqual(Object.keys(fresh.body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal((await api(fresh.body.access_token)).status, 200);
  });

  // HA: components/auth/__init__.py TokenView._async_handle_refresh_token answers a refresh token
  // it will not honour with 400 {"error": "invalid_grant"}.
  test('a refresh is refused with invalid_grant while the device is past its end date, and works once extended', async () => {
    const { code, offer } = await loginCode(server, clientId);
    const tokens = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
    });
    const pairing = await requestJson<{ device_id: string }>(
      'GET',
      `${server.adminUrl}/api/pairings/${offer.id}`,
    );
    const deviceId = pairing.body.device_id;
    const refresh = () =>
      tokenForm(server.deviceUrl, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
        client_id: clientId,
      });
    const endsAt = (ms: number) =>
      requestJson('PATCH', `${server.adminUrl}/api/devices/${deviceId}`, {
        expires_at: new Date(ms).toISOString(),
      });
    assert.equal((await endsAt(now + 60_000)).status, 200);
    assert.equal((await refresh()).status, 200, 'before the end date');
    now += 60_000;
    const refused = await refresh();
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: 'invalid_grant' });
    assert.equal((await endsAt(now + 3_600_000)).status, 200);
    const again = await refresh();
    assert.equal(again.status, 200);
    assert.deepEqual(Object.keys(again.body).sort(), ['access_token', 'expires_in', 'token_type']);
    const api = await requestJson('GET', `${server.deviceUrl}/api/`, undefined, {
      authorization: `Bearer ${again.body.access_token}`,
    });
    assert.equal(api.status, 200);
  });

  test('logging out (POST /auth/revoke) revokes the device; unknown tokens still get 200', async () => {
    const { code } = await loginCode(server, clientId);
    const tokens = await tokenForm(server.deviceUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
    });
    const auth = new Auth({
      hassUrl: server.deviceUrl,
      clientId,
      expires: now + 1_800_000,
      refresh_token: tokens.body.refresh_token,
      access_token: tokens.body.access_token,
      expires_in: 1800,
    });
    const conn = await createConnection({ auth });
    const closed = new Promise<void>((resolve) =>
      conn.addEventListener('disconnected', () => resolve()),
    );
    await auth.revoke();
    await closed;
    conn.close();
    const api = await requestJson('GET', `${server.deviceUrl}/api/`, undefined, {
      authorization: `Bearer ${tokens.body.access_token}`,
    });
    assert.equal(api.status, 401);
    const unknown = await postForm(`${server.deviceUrl}/auth/revoke`, { token: 'nothing' });
    assert.equal(unknown.status, 200);
  });

  test('redirects follow Home Assistant’s rules: the client’s own host or the Companion apps’ callback', async () => {
    const foreign = await startFlow(server.deviceUrl, clientId, 'http://evil.example/steal');
    assert.equal(foreign.status, 403);
    assert.deepEqual(foreign.body, { message: 'Invalid redirect URI' });
    const app = await startFlow(
      server.deviceUrl,
      'https://home-assistant.io/android',
      'homeassistant://auth-callback',
    );
    assert.equal(app.status, 200);
    const iosWithAndroidWear = await startFlow(
      server.deviceUrl,
      'https://home-assistant.io/iOS',
      'https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android',
    );
    assert.equal(iosWithAndroidWear.status, 403);
    const badClient = await startFlow(server.deviceUrl, 'ftp://x/', 'ftp://x/');
    assert.deepEqual(badClient.body, { message: 'Invalid client id' });
    const badHandler = await requestJson('POST', `${server.deviceUrl}/auth/login_flow`, {
      client_id: clientId,
      handler: ['homeassistant', null],
      redirect_uri: clientId,
    });
    assert.equal(badHandler.status, 404);
    const gone = await submit(server.deviceUrl, 'nope', { client_id: clientId, pin: '123456' });
    assert.deepEqual(gone.body, { message: 'Invalid flow specified' });
    const aborted = await requestJson(
      'DELETE',
      `${server.deviceUrl}/auth/login_flow/${app.body.flow_id}`,
    );
    assert.deepEqual(aborted.body, { message: 'Flow aborted' });
  });

  test('serves HAsync’s own login page at /auth/authorize with its script from its own origin', async () => {
    const page = await fetch(`${server.deviceUrl}/auth/authorize?client_id=x&redirect_uri=y`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /src="\/auth\/authorize\.js"/);
    const script = await fetch(`${server.deviceUrl}/auth/authorize.js`);
    assert.match(await script.text(), /storeToken=true/);
  });
});
