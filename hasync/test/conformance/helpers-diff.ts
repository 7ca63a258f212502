import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { RawSocket } from '../helpers/raw-socket.ts';
import { type Conformance, entitiesInArea } from './conformance.ts';

/** One frame as a raw socket received it. */
export type Frame = Record<string, unknown>;

/** Home Assistant's entity registry entry, the fields the suite reads. */
export interface RegistryEntity {
  entity_id: string;
  area_id: string | null;
  device_id: string | null;
  disabled_by: string | null;
  hidden_by: string | null;
  entity_category: string | null;
}

/** Both sides' raw sockets: Home Assistant as its non-admin user, HAsync as a scoped device. */
export interface SocketPair {
  readonly ha: RawSocket;
  readonly device: RawSocket;
  readonly deviceId: string;
  close(): void;
}

/** Opens Home Assistant (non-admin user) and HAsync (a device paired with `scope`) side by side. */
export async function openPair(
  c: Conformance,
  scope: { areas?: string[]; entities?: string[] },
): Promise<SocketPair> {
  const ha = await RawSocket.authenticated(c.upstream.url, c.upstream.userToken);
  const { token, device_id } = await c.pairDevice(scope);
  const device = await RawSocket.authenticated(c.server.deviceUrl, token);
  return {
    ha,
    device,
    deviceId: device_id,
    close() {
      ha.close();
      device.close();
    },
  };
}

/** Sends one command with this id on both sockets; resolves with both result frames. */
export async function sendBoth(
  pair: SocketPair,
  frame: Frame,
): Promise<{ ha: Frame; device: Frame }> {
  pair.ha.send(frame);
  pair.device.send(frame);
  const isResult = (f: Frame) => f.id === frame.id && f.type === 'result';
  const [ha, device] = await Promise.all([pair.ha.next(isResult), pair.device.next(isResult)]);
  return { ha, device };
}

/** The `event` payloads a socket received for subscription `id`, in order. */
export function eventsOf(socket: RawSocket, id: number): Frame[] {
  return socket.frames
    .filter((f) => f.id === id && f.type === 'event')
    .map((f) => f.event as Frame);
}

/** Waits for the first event of subscription `id` that `match` accepts, and returns it. */
export async function nextEvent(
  socket: RawSocket,
  id: number,
  match: (event: Frame) => boolean,
  timeoutMs = 10_000,
): Promise<Frame> {
  const frame = await socket.next(
    (f) => f.id === id && f.type === 'event' && match(f.event as Frame),
    timeoutMs,
  );
  return frame.event as Frame;
}

/** The registries as the admin sees them: entities, and each device's area. */
export async function registries(ha: Connection) {
  const [entities, devices] = await Promise.all([
    ha.sendMessagePromise<RegistryEntity[]>({ type: 'config/entity_registry/list' }),
    ha.sendMessagePromise<{ id: string; area_id: string | null }[]>({
      type: 'config/device_registry/list',
    }),
  ]);
  return { entities, devices };
}

/** Whether Home Assistant leaves this entity out of indirect (area/device) targets. */
export function skippedByIndirectTargets(entry: RegistryEntity): boolean {
  // HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (hidden_by and
  // entity_category entities are not reached through areas and devices)
  return entry.hidden_by !== null || entry.entity_category !== null;
}

/** Current states of the given entities, as the admin reads them upstream. */
export async function statesOf(
  ha: Connection,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const states = await ha.sendMessagePromise<HassEntity[]>({ type: 'get_states' });
  return new Map(
    states.filter((s) => ids.includes(s.entity_id)).map((s) => [s.entity_id, s.state]),
  );
}

/**
 * Sets each entity to `state` ('on' or 'off') through the admin. A call_service is blocking
 * (HA: websocket_api/commands.py handle_call_service, blocking=True), so the states are written
 * when it answers; the check proves it.
 */
export async function setAll(ha: Connection, ids: readonly string[], state: 'on' | 'off') {
  for (const id of ids) {
    await ha.sendMessagePromise({
      type: 'call_service',
      domain: id.split('.')[0],
      service: state === 'on' ? 'turn_on' : 'turn_off',
      target: { entity_id: id },
    });
  }
  const current = await statesOf(ha, ids);
  if (current.size !== ids.length || ![...current.values()].every((s) => s === state)) {
    throw new Error(`not all ${state}: ${JSON.stringify([...current])}`);
  }
}

/** The entities of `ids` that are 'on' upstream now. */
export async function onOf(ha: Connection, ids: readonly string[]): Promise<string[]> {
  const states = await statesOf(ha, ids);
  return [...states]
    .filter(([, s]) => s === 'on')
    .map(([id]) => id)
    .sort();
}

/**
 * The kitchen as the scope of a conformance test: upstream's entities placed there, one in-scope
 * light or switch to toggle, and one outside the kitchen that must never reach the device.
 */
export async function kitchenToggles(
  c: Conformance,
): Promise<{ admin: Connection; scope: string[]; toggled: string; outside: string }> {
  const admin = await c.haClient();
  const scope = await entitiesInArea(admin, 'kitchen');
  const toggles = (id: string) => id.startsWith('light.') || id.startsWith('switch.');
  const toggled = scope.find(toggles);
  if (!toggled) throw new Error('upstream has no light or switch in the kitchen');
  const states = await admin.sendMessagePromise<{ entity_id: string }[]>({ type: 'get_states' });
  const outside = states.map((s) => s.entity_id).find((id) => toggles(id) && !scope.includes(id));
  if (!outside) throw new Error('upstream has no light or switch outside the kitchen');
  return { admin, scope, toggled, outside };
}
