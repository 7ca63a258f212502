/** A response with its JSON body (undefined when empty; the text when not JSON) and headers. */
export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Sends `body` as JSON (if given) and parses the reply; any method, real fetch. */
export async function requestJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json', ...headers };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  // Home Assistant answers some errors in plain text ("401: Unauthorized"), and so does HAsync.
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  return {
    status: res.status,
    body: (text && isJson ? JSON.parse(text) : text || undefined) as T,
    headers: res.headers,
  };
}

export interface PairingOffer {
  id: string;
  pin: string;
  code: string;
  expires_at: string;
  pair_url: string;
}

export interface PairedDevice {
  device_id: string;
  token: string;
  name: string;
}

export interface ErrorReply {
  error: { code: string; message: string };
}

/** Creates a pairing on the admin listener; fails loudly unless it answers 201. */
export async function createPairing(
  adminUrl: string,
  body: Record<string, unknown> = {},
): Promise<PairingOffer> {
  const res = await requestJson<PairingOffer>('POST', `${adminUrl}/api/pairings`, body);
  if (res.status !== 201)
    throw new Error(`pairing not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** `POST /api/pair` on the device listener. */
export function pair(deviceUrl: string, body: Record<string, unknown>) {
  return requestJson<PairedDevice & ErrorReply>('POST', `${deviceUrl}/api/pair`, body);
}
