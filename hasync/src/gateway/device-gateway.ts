import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { denialRecorder } from '../access/denials.ts';
import type { ServiceCaller } from '../access/device-calls.ts';
import { sensitiveCallRecorder } from '../access/sensitive-calls.ts';
import type { HomeView } from '../cache/home-view.ts';
import type { DevicePresence, DeviceService } from '../pairing/device-service.ts';
import { type CompressedState, compressState, toWireState } from '../protocol/compressed-state.ts';
import {
  CLOSE_GOING_AWAY,
  CLOSE_OUTSIDE_SCHEDULE,
  CLOSE_REVOKED,
  CLOSE_SCOPE_CHANGED,
  CLOSE_TRY_AGAIN,
  MAX_SESSIONS_PER_DEVICE,
} from '../protocol/device-ws.ts';
import type { HassEvent } from '../protocol/home-assistant.ts';
import type { DisplayEvent } from '../protocol/wall-display.ts';
import type { DeviceAccess } from '../scope/schedule.ts';
import {
  needsScoping,
  type PictureRewriter,
  type StateScope,
  scopeState,
} from '../scope/scoped-state.ts';
import type { EventBus } from '../shared/bus.ts';
import { type Clock, type TimerHandle, type Timers, timersOf } from '../shared/clock.ts';
import type { DeviceChange, HasyncEvents, StateChange } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import type { AuditStore } from '../storage/audit-store.ts';
import type { Db } from '../storage/db.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import { UserDataStore } from '../storage/user-data-store.ts';
import type { LinkStatusSource } from '../upstream/link-state.ts';
import type { UpstreamCommands } from '../upstream/upstream-commands.ts';
import { type EncodedChange, encodeChanges, eventFrame } from './change-encoder.ts';
import { runCommand } from './commands.ts';
import { type AttachOutcome, DeviceSession, type SessionHost } from './device-session.ts';
import { DisplayChannel } from './display-channel.ts';
import { eventVisible } from './event-relay.ts';
import type { ParsedFrame } from './frame-parser.ts';
import { lovelaceUpdateFor } from './frontend-dashboard.ts';
import { ScopeGroups } from './scope-groups.ts';

/** How often live devices' end dates and schedules are checked (a window opens on the minute). */
const RULE_CHECK_MS = 1000;
/** A WebSocket close reason is at most 123 bytes of UTF-8. */
const MAX_CLOSE_REASON_BYTES = 123;

/** Reported before Home Assistant's own version is known; new enough for subscribe_entities. */
const FALLBACK_HA_VERSION = '2025.1.0';

export interface GatewayDeps {
  readonly log: Logger;
  readonly bus: EventBus<HasyncEvents>;
  readonly clock: Clock;
  readonly home: HomeView;
  readonly devices: DeviceService;
  readonly audit: AuditStore;
  readonly caller: ServiceCaller;
  /** The upstream link: its status, and the commands forwarded for the frontend. */
  readonly link: LinkStatusSource & UpstreamCommands;
  readonly db: Db;
  /** The rewriter of one device's picture URLs to HAsync's image proxy (tokens of that device). */
  pictureFor(deviceId: string): PictureRewriter;
}

interface LiveDevice {
  record: DeviceRecord;
  readonly sessions: Set<DeviceSession>;
  readonly picture: PictureRewriter;
}

/**
 * Device WebSocket sessions: authenticates them against device tokens, keeps each connected
 * device's scope live, and fans upstream changes out once per distinct scope.
 */
export class DeviceGateway implements Module, SessionHost, DevicePresence {
  readonly name = 'gateway';
  readonly #deps: GatewayDeps;
  readonly #log: Logger;
  readonly #live = new Map<string, LiveDevice>();
  readonly #groups = new ScopeGroups<LiveDevice>();
  readonly #pending = new Set<DeviceSession>();
  #ruleTimer: TimerHandle | undefined;
  readonly #userData: UserDataStore;
  readonly #display = new DisplayChannel();

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#userData = new UserDataStore(deps.db);
    this.#log = deps.log.child({ module: this.name });
  }

  async start(): Promise<void> {
    const { bus } = this.#deps;
    bus.on(this.name, 'states_changed', ({ changes }) => this.#onStates(changes));
    bus.on(this.name, 'registry_changed', () => this.#onRegistry());
    bus.on(this.name, 'upstream_event', ({ event }) => this.#onUpstreamEvent(event));
    bus.on(this.name, 'upstream', ({ state }) => {
      // As when Home Assistant itself restarts: sockets close, clients come back when it is up.
      if (state === 'disconnected')
        this.#closeAll(CLOSE_TRY_AGAIN, 'Home Assistant is unavailable');
    });
    bus.on(this.name, 'device_updated', (change) => this.#onDeviceUpdated(change));
    bus.on(this.name, 'device_revoked', ({ device_id }) =>
      this.#closeDevice(device_id, CLOSE_REVOKED, 'device revoked'),
    );
    this.#deps.devices.setPresence(this);
    // End dates and schedules act on live sessions at once, on the injected clock.
    this.#ruleTimer = this.timers.every(RULE_CHECK_MS, () => {
      for (const live of this.#live.values()) this.#enforceAccess(live);
    });
  }

  async stop(): Promise<void> {
    this.#ruleTimer?.cancel();
    this.#deps.bus.off(this.name);
    for (const session of this.#pending) session.close(CLOSE_GOING_AWAY, 'server stopping');
    for (const id of [...this.#live.keys()])
      this.#closeDevice(id, CLOSE_GOING_AWAY, 'server stopping');
  }

  /** Takes over a freshly upgraded socket; while Home Assistant is unreachable, closes it at once. */
  accept(ws: WebSocket): void {
    const upstream = this.#deps.link.status().state;
    if (upstream !== 'connected' && upstream !== 'demo') {
      ws.close(CLOSE_TRY_AGAIN, 'Home Assistant is unavailable');
      return;
    }
    const session = new DeviceSession(ws, this, this.#log);
    this.#pending.add(session);
    ws.once('close', () => this.#pending.delete(session));
    session.open();
  }

  isOnline(deviceId: string): boolean {
    return this.#live.has(deviceId);
  }

  sendDisplay(deviceId: string, event: DisplayEvent): number {
    return this.#display.send(deviceId, event);
  }

  /** Live sessions per device, for status. */
  onlineCount(): number {
    return this.#live.size;
  }

  get timers(): Timers {
    return timersOf(this.#deps.clock);
  }

  now(): number {
    return this.#deps.clock.now();
  }

  haVersion(): string {
    return (
      this.#deps.link.status().haVersion ?? this.#deps.home.config()?.version ?? FALLBACK_HA_VERSION
    );
  }

  attach(session: DeviceSession, token: string): AttachOutcome {
    const device = this.#deps.devices.identify(token);
    // HA: websocket_api/auth.py — the same words for every refused token.
    if (!device) return { refused: 'Invalid access token or password' };
    // Past its end date or outside its hours: closed, not auth_invalid, so the client keeps its
    // token for when the admin extends it or the window opens.
    const access = this.#deps.devices.access(device);
    if (!access.ok) return { closed: closeFor(access) };
    let live = this.#live.get(device.id);
    if (live && live.sessions.size >= MAX_SESSIONS_PER_DEVICE) {
      // A valid token is never refused (clients drop tokens on auth_invalid): the oldest goes.
      const oldest = [...live.sessions].reduce((a, b) => (b.openedAt < a.openedAt ? b : a));
      live.sessions.delete(oldest);
      oldest.close(CLOSE_GOING_AWAY, `at most ${MAX_SESSIONS_PER_DEVICE} connections per device`);
    }
    if (!live) {
      live = { record: device, sessions: new Set(), picture: this.#deps.pictureFor(device.id) };
      this.#live.set(device.id, live);
      this.#groups.join(live, device, this.#deps.home);
      this.#deps.devices.touch(device.id);
      this.#deps.bus.emit('device_online', { device_id: device.id });
    }
    this.#pending.delete(session);
    live.sessions.add(session);
    return { device };
  }

  detach(session: DeviceSession): void {
    const id = session.deviceId;
    const live = id === undefined ? undefined : this.#live.get(id);
    if (!id || !live) return;
    live.sessions.delete(session);
    if (live.sessions.size > 0) return;
    this.#live.delete(id);
    this.#groups.leave(live);
    this.#touchIfPaired(id);
    this.#deps.bus.emit('device_offline', { device_id: id });
  }

  async run(
    session: DeviceSession,
    frame: Extract<ParsedFrame, { kind: 'command' }>,
  ): Promise<void> {
    const live = session.deviceId === undefined ? undefined : this.#live.get(session.deviceId);
    // Revocation, end dates and schedules act at once: commands still queued never run.
    if (!live || this.#deps.devices.isRevoked(live.record.id) || !this.#enforceAccess(live)) return;
    await runCommand(
      {
        session,
        device: live.record,
        scope: this.#groups.scopeOf(live),
        home: this.#deps.home,
        caller: this.#deps.caller,
        pins: this.#deps.devices.actionPins,
        picture: live.picture,
        denied: denialRecorder({ ...this.#deps, log: this.#log }, live.record.id),
        performed: sensitiveCallRecorder({ ...this.#deps, log: this.#log }, live.record),
        upstream: this.#deps.link,
        userData: this.#userData,
        display: this.#display,
        sessions: () => live.sessions,
        now: () => this.#deps.clock.now(),
      },
      frame.id,
      frame.type,
      frame.message,
    );
  }

  #onStates(changes: readonly StateChange[]): void {
    if (this.#live.size === 0 || changes.length === 0) return;
    // Entities that appear or vanish can change which scope holds them; removals use the old scope.
    const previous = new Map<ReadonlySet<LiveDevice>, ReadonlySet<string>>();
    if (changes.some((change) => !change.old || !change.new)) {
      for (const { before, members } of this.#groups.refresh(this.#deps.home))
        previous.set(members, before);
    }
    const encoded = encodeChanges(changes, new Date(this.#deps.clock.now()).toISOString());
    for (const [scope, members] of this.#groups.entries()) {
      const before = previous.get(members) ?? scope;
      const visible = (change: EncodedChange) =>
        (change.kind === 'r' ? before : scope).has(change.entityId);
      this.#fanOut(members, encoded.filter(visible), scope);
    }
  }

  /** Every change a group may see, in order, one event per change and subscription. */
  #fanOut(
    members: ReadonlySet<LiveDevice>,
    changes: readonly EncodedChange[],
    scope: ReadonlySet<string>,
  ): void {
    if (changes.length === 0) return;
    for (const live of members) {
      const encoded = changes.map((change) => change.scoped(scope, live.picture));
      for (const session of live.sessions) {
        const frames: string[] = [];
        for (const change of encoded) {
          for (const sub of session.subscriptions.values()) {
            if (sub.kind === 'entities') {
              if (!sub.filter || sub.filter(change.entityId))
                frames.push(eventFrame(sub.id, change.entities));
            } else if (sub.kind === 'events' && sub.eventType === 'state_changed') {
              frames.push(eventFrame(sub.id, change.stateChanged()));
            }
          }
        }
        session.sendFrames(frames);
      }
    }
  }

  /** A registry, config or service event from Home Assistant, to the devices whose scope it concerns. */
  #onUpstreamEvent(event: HassEvent): void {
    if (event.event_type === 'lovelace_updated') {
      for (const live of this.#live.values()) {
        const seen = lovelaceUpdateFor(live.record.dashboard, event);
        if (seen) this.#sendEvent(live, seen);
      }
      return;
    }
    let json: string | undefined;
    for (const [scope, members] of this.#groups.entries()) {
      if (!eventVisible(this.#deps.home, scope, event)) continue;
      json ??= JSON.stringify(event);
      for (const live of members) this.#sendEvent(live, event, json);
    }
  }

  /** Sends the event to the device's subscribers of its type. */
  #sendEvent(live: LiveDevice, event: HassEvent, json = JSON.stringify(event)): void {
    for (const session of live.sessions) {
      for (const sub of session.subscriptions.values()) {
        if (sub.kind === 'events' && sub.eventType === event.event_type)
          session.send(eventFrame(sub.id, json));
      }
    }
  }

  /** A new dashboard choice reaches the frontend as an update of its default dashboard. */
  #announceDashboard(live: LiveDevice): void {
    const event: HassEvent = {
      event_type: 'lovelace_updated',
      data: { url_path: null },
      origin: 'LOCAL',
      time_fired: new Date(this.#deps.clock.now()).toISOString().replace('Z', '+00:00'),
      context: {
        id: randomUUID().replaceAll('-', '').slice(0, 26),
        parent_id: null,
        user_id: null,
      },
    };
    this.#sendEvent(live, event);
  }

  #onRegistry(): void {
    for (const { before, after, members } of this.#groups.refresh(this.#deps.home)) {
      for (const live of members) this.#pushScopeDelta(live, before, after);
    }
  }

  #onDeviceUpdated(change: DeviceChange): void {
    const live = this.#live.get(change.device_id);
    if (!live) return;
    const before = this.#groups.scopeOf(live);
    const { device_id: _id, ...rule } = change;
    const dashboardChanged = live.record.dashboard !== rule.dashboard;
    live.record = { ...live.record, ...rule };
    if (!this.#enforceAccess(live)) return;
    const after = this.#groups.join(live, live.record, this.#deps.home);
    this.#pushScopeDelta(live, before, after);
    // A new action PIN changes what locks and alarm panels say, not which entities are in scope.
    if (before.pinDomains !== after.pinDomains) this.#pushPinStates(live, after);
    if (dashboardChanged) this.#announceDashboard(live);
  }

  /** Sends the device's locks and alarm panels again, as its new action PIN rule shows them. */
  #pushPinStates(live: LiveDevice, scope: StateScope): void {
    const ids = [...scope].filter((id) => needsScoping(this.#deps.home.state(id)));
    for (const session of live.sessions) {
      for (const sub of session.subscriptions.values()) {
        if (sub.kind !== 'entities') continue;
        const a: Record<string, CompressedState> = {};
        for (const id of ids) {
          const state = this.#deps.home.state(id);
          if (state && (!sub.filter || sub.filter(id)))
            a[id] = compressState(toWireState(scopeState(state, scope, live.picture)));
        }
        if (Object.keys(a).length > 0) session.send(eventFrame(sub.id, JSON.stringify({ a })));
      }
    }
  }

  /**
   * Closes the device's sessions if it is past its end date (4001) or outside its schedule (4002,
   * the schedule in words as the reason, for the kiosk to show); false when it did.
   */
  #enforceAccess(live: LiveDevice): boolean {
    const access = this.#deps.devices.access(live.record);
    if (access.ok) return true;
    const { code, reason } = closeFor(access);
    this.#log.info({ device_id: live.record.id, rule: access.rule }, 'closing device sessions');
    this.#closeDevice(live.record.id, code, reason);
    return false;
  }

  /** Tells the device's entity subscribers which entities joined (`a`) and left (`r`) its scope. */
  #pushScopeDelta(live: LiveDevice, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    const joined = [...after].filter((id) => !before.has(id));
    const left = [...before].filter((id) => !after.has(id));
    if (joined.length === 0 && left.length === 0) return;
    for (const session of live.sessions) {
      if (session.showsGeneratedDashboard) {
        // Home Assistant's frontend regenerates its dashboard only when it reconnects.
        session.close(CLOSE_SCOPE_CHANGED, 'scope changed');
        continue;
      }
      for (const sub of session.subscriptions.values()) {
        if (sub.kind !== 'entities') continue;
        const a: Record<string, CompressedState> = {};
        for (const id of joined) {
          const state = this.#deps.home.state(id);
          if (state && (!sub.filter || sub.filter(id)))
            a[id] = compressState(toWireState(scopeState(state, after, live.picture)));
        }
        const r = sub.filter ? left.filter((id) => sub.filter?.(id)) : left;
        if (Object.keys(a).length === 0 && r.length === 0) continue;
        session.send(eventFrame(sub.id, JSON.stringify(r.length > 0 ? { a, r } : { a })));
      }
    }
  }

  #closeAll(code: number, reason: string): void {
    for (const live of this.#live.values()) {
      for (const session of live.sessions) session.close(code, reason);
    }
  }

  #closeDevice(deviceId: string, code: number, reason: string): void {
    const live = this.#live.get(deviceId);
    if (!live) return;
    for (const session of live.sessions) session.close(code, reason);
  }

  #touchIfPaired(deviceId: string): void {
    try {
      this.#deps.devices.touch(deviceId);
    } catch (err) {
      this.#log.debug({ err, device_id: deviceId }, 'could not record last seen');
    }
  }
}

/** The close code and reason for a device that may not be used now. */
function closeFor(access: Extract<DeviceAccess, { ok: false }>): { code: number; reason: string } {
  const code = access.rule === 'expired' ? CLOSE_REVOKED : CLOSE_OUTSIDE_SCHEDULE;
  let reason = access.reason;
  while (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) reason = `${reason.slice(0, -2)}…`;
  return { code, reason };
}
