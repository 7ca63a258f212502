/**
 * Onboards a fresh Home Assistant without a browser and mints long-lived tokens.
 * HA: homeassistant/components/onboarding/views.py UserOnboardingView,
 * homeassistant/components/auth/__init__.py TokenView and websocket_create_long_lived_access_token,
 * homeassistant/components/auth/login_flow.py LoginFlowIndexView/LoginFlowResourceView.
 */
import { randomBytes } from 'node:crypto';
import { HaSocket, post } from './ha-api.ts';

const LLAT_LIFESPAN_DAYS = 3650;

function clientId(baseUrl: string): string {
  return `${baseUrl}/`;
}

async function tokenFromCode(baseUrl: string, code: string): Promise<string> {
  const tokens = await post<{ access_token: string }>(
    `${baseUrl}/auth/token`,
    { grant_type: 'authorization_code', code, client_id: clientId(baseUrl) },
    { form: true },
  );
  return tokens.access_token;
}

async function longLivedToken(baseUrl: string, accessToken: string, name: string): Promise<string> {
  const socket = await HaSocket.connect(baseUrl, accessToken);
  try {
    return await socket.command<string>('auth/long_lived_access_token', {
      client_name: name,
      lifespan: LLAT_LIFESPAN_DAYS,
    });
  } finally {
    socket.close();
  }
}

/** The owner step of onboarding (also creates Living Room, Kitchen, Bedroom); returns an LLAT. */
export async function onboardOwner(baseUrl: string): Promise<string> {
  const { auth_code } = await post<{ auth_code: string }>(`${baseUrl}/api/onboarding/users`, {
    client_id: clientId(baseUrl),
    name: 'CI Owner',
    username: 'owner',
    password: randomBytes(12).toString('hex'),
    language: 'en',
  });
  return longLivedToken(baseUrl, await tokenFromCode(baseUrl, auth_code), 'hasync-ci');
}

/** Creates a non-admin user (group system-users), logs in as it and returns its LLAT. */
export async function createNonAdminUser(baseUrl: string, admin: HaSocket): Promise<string> {
  const username = 'tablet';
  const password = randomBytes(12).toString('hex');
  const { user } = await admin.command<{ user: { id: string } }>('config/auth/create', {
    name: 'CI Tablet',
    group_ids: ['system-users'],
    local_only: false,
  });
  await admin.command('config/auth_provider/homeassistant/create', {
    user_id: user.id,
    username,
    password,
  });
  const flow = await post<{ flow_id: string }>(`${baseUrl}/auth/login_flow`, {
    client_id: clientId(baseUrl),
    handler: ['homeassistant', null],
    redirect_uri: `${baseUrl}/?auth_callback=1`,
  });
  const done = await post<{ type: string; result?: string }>(
    `${baseUrl}/auth/login_flow/${flow.flow_id}`,
    { client_id: clientId(baseUrl), username, password },
  );
  if (done.type !== 'create_entry' || !done.result)
    throw new Error(`login flow for ${username} did not finish: ${JSON.stringify(done)}`);
  return longLivedToken(baseUrl, await tokenFromCode(baseUrl, done.result), 'hasync-ci-user');
}
