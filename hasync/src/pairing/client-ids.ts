/**
 * OAuth client ids and redirect URIs by Home Assistant's rules
 * (HA: homeassistant/components/auth/indieauth.py verify_client_id, verify_redirect_uri), except
 * that a client id is never fetched to look for `redirect_uri` link tags: HAsync makes no request
 * on a stranger's behalf, so a redirect elsewhere than the client's own host is refused.
 */

export const IOS_CLIENT_ID = 'https://home-assistant.io/iOS';
export const ANDROID_CLIENT_ID = 'https://home-assistant.io/android';
export const APP_CALLBACK = 'homeassistant://auth-callback';

/** The Companion apps' fixed pairs, as indieauth.py lists them. */
const APP_REDIRECTS: Readonly<Record<string, readonly string[]>> = {
  [IOS_CLIENT_ID]: [APP_CALLBACK],
  [ANDROID_CLIENT_ID]: [
    APP_CALLBACK,
    'https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android',
    'https://wear.googleapis-cn.com/3p_auth/io.homeassistant.companion.android',
  ],
};

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** IndieAuth section 3.2 as Home Assistant applies it: http(s), no dot segments, no fragment or credentials, a domain or a local address. */
export function isValidClientId(clientId: string): boolean {
  const url = parse(clientId);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  // WHATWG parsing resolves dot segments, so look at the raw path.
  const rawPath = clientId.replace(/^[a-z]+:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  if (rawPath.split('/').some((segment) => segment === '.' || segment === '..')) return false;
  if (clientId.includes('#') || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !isIpAddress(host) || isLocalAddress(host);
}

/** True when `redirectUri` may receive the authorization code meant for `clientId`. */
export function isAllowedRedirect(clientId: string, redirectUri: string): boolean {
  if (!isValidClientId(clientId)) return false;
  if (APP_REDIRECTS[clientId]?.includes(redirectUri)) return true;
  const client = parse(clientId);
  const redirect = parse(redirectUri);
  if (!client || !redirect) return false;
  return client.protocol === redirect.protocol && netloc(client) === netloc(redirect);
}

/** Python's `netloc`, lowercased: credentials, host and the port as written. */
function netloc(url: URL): string {
  const auth = url.username || url.password ? `${url.username}:${url.password}@` : '';
  return `${auth}${url.host}`.toLowerCase();
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** HA's `is_local`: loopback or a private network (Python's ipaddress.is_private, main ranges). */
export function isLocalAddress(host: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  const v6 = host.toLowerCase();
  return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}
