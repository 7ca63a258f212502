import {
  type Connection,
  createConnection,
  createLongLivedTokenAuth,
  type HassEntities,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { createPairing, type PairedDevice, pair, requestJson } from './json-http.ts';

/** Pairs a device through the real admin and device APIs with the given scope. */
export async function pairDevice(
  adminUrl: string,
  deviceUrl: string,
  scope: { areas?: string[]; entities?: string[]; name?: string } = {},
): Promise<PairedDevice> {
  const { name = 'Test tablet', ...preset } = scope;
  const offer = await createPairing(adminUrl, preset);
  const res = await pair(deviceUrl, { pin: offer.pin, name });
  if (res.status !== 201)
    throw new Error(`pairing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Connects Home Assistant's own client library to HAsync's device endpoint with a device token. */
export function connectDevice(deviceUrl: string, token: string): Promise<Connection> {
  return createConnection({ auth: createLongLivedTokenAuth(deviceUrl, token) });
}

/** A live `subscribeEntities` view, as a dashboard would keep it. */
export async function watchEntities(
  conn: Connection,
): Promise<{ current: () => HassEntities; stop: () => void }> {
  let entities: HassEntities | undefined;
  const stop = subscribeEntities(conn, (next) => {
    entities = next;
  });
  await waitFor(() => entities, 'the first entities event');
  return { current: () => entities ?? {}, stop };
}

export function patchDevice(adminUrl: string, id: string, patch: Record<string, unknown>) {
  return requestJson('PATCH', `${adminUrl}/api/devices/${id}`, patch);
}
