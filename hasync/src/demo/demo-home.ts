import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import type { HassConfig, HassContext, HassState } from '../protocol/home-assistant.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import type { SessionHost } from './commands.ts';
import { toHassState } from './compressed-state.ts';
import { DemoDashboards } from './dashboards.ts';
import { demoConfig } from './demo-config.ts';
import { DerivedStates } from './derived-states.ts';
import { HomeModel, newContext, type SentNotification } from './home-model.ts';
import { sendPlain } from './http-replies.ts';
import { SensorNoise, seededRandom } from './noise.ts';
import { Publisher } from './publisher.ts';
import { RegistryHooks } from './registry-hooks.ts';
import { handleRestRequest } from './rest-api.ts';
import { SEED_ENTITY_COUNT, seedHome } from './seed.ts';
import { runServiceCall, type ServiceCall, type ServiceResponse } from './service-call.ts';
import { DemoSession } from './session.ts';
import { DEMO_GUEST, DEMO_OWNER, type DemoUser } from './users.ts';

/**
 * The Home Assistant version the demo home reports, and models: its registries, errors, services
 * and `subscribe_entities` filters follow Home Assistant's 2025.x source.
 */
export const DEMO_HA_VERSION = '2025.11.1';
/** Service calls kept for tests to inspect. */
const CALL_LOG_SIZE = 100;

/** Options of a demo home; all optional. */
export interface DemoHomeOptions {
  /** Port to listen on; 0 (default) picks a free one, kept across stop/start. */
  readonly port?: number;
  readonly host?: string;
  /** Number of entities (default: the hand-made home of about 75). */
  readonly entities?: number;
  /** Sensor changes per second (default 0.5; 0 keeps the home still). */
  readonly rate?: number;
  /** When set, only this access token is accepted (the owner's); otherwise any non-empty one. */
  readonly token?: string;
  /** An access token of a non-admin user ("Demo Guest"), as Home Assistant treats one. */
  readonly guestToken?: string;
  readonly log?: Logger;
  /** Seed for the random drift. */
  readonly seed?: number;
}

/** One recorded `call_service`. */
export interface RecordedCall extends ServiceCall {
  readonly context_id: string;
}

/**
 * A simulated Home Assistant: a real WebSocket server speaking the server side of Home
 * Assistant's protocol at `/api/websocket`, with a seeded home whose services have real effects.
 * The home is built in the constructor (not in start) so tests can shape it before starting, and
 * survives stop/start, which is how tests simulate a Home Assistant restart.
 */
export class DemoHome implements Module, SessionHost {
  readonly name = 'demo-home';
  readonly haVersion = DEMO_HA_VERSION;
  readonly model = new HomeModel();
  readonly publisher: Publisher;
  /** Area, device and entity registry changes that notify subscribers. */
  readonly registry: RegistryHooks;
  /** Stored dashboards (`lovelace/config`, `lovelace/dashboards/list`). */
  readonly dashboards: DemoDashboards;
  readonly calls: RecordedCall[] = [];
  readonly #options: DemoHomeOptions;
  readonly #log: Logger;
  readonly #noise: SensorNoise;
  readonly #sessions = new Set<DemoSession>();
  #port: number;
  #server: Server | undefined;
  #wss: WebSocketServer | undefined;

  constructor(options: DemoHomeOptions = {}) {
    this.#options = options;
    this.#log = options.log ?? pino({ level: 'silent' });
    this.#port = options.port ?? 0;
    this.publisher = new Publisher();
    const noisy = seedHome(this.model, options.entities ?? SEED_ENTITY_COUNT);
    const derived = new DerivedStates(this.model);
    derived.refreshAll();
    this.model.onChange((id, old, next) => {
      this.publisher.stateChanged(id, old, next);
      derived.changed(id, old, next);
    });
    const random = seededRandom(options.seed ?? 42);
    this.#noise = new SensorNoise(this.model, noisy, options.rate ?? 0.5, random);
    this.registry = new RegistryHooks(this.model.registry, this.publisher);
    this.dashboards = new DemoDashboards(this.publisher);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      handleRestRequest(this, req, res).catch((err: unknown) => {
        this.#log.error({ err }, 'demo REST request failed');
        if (!res.headersSent) sendPlain(res, 500);
        else res.destroy();
      });
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url?.split('?')[0] !== '/api/websocket') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const session = new DemoSession(ws, this, this.#log);
        this.#sessions.add(session);
        ws.on('close', () => this.#closed(session));
        ws.on('error', () => this.#closed(session));
        session.start();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#options.host ?? '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    this.#wss = wss;
    this.#noise.start();
  }

  async stop(): Promise<void> {
    this.#noise.stop();
    this.dropConnections();
    this.publisher.close();
    const server = this.#server;
    this.#server = undefined;
    this.#wss?.close();
    this.#wss = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops, lets `change` reshape the home while no client is connected, and starts again. */
  async restart(change?: (home: DemoHome) => void): Promise<void> {
    await this.stop();
    change?.(this);
    await this.start();
  }

  get port(): number {
    return this.#port;
  }

  /** Base URL as `createLongLivedTokenAuth` wants it (the client adds `/api/websocket`). */
  get url(): string {
    return `http://${this.#options.host ?? '127.0.0.1'}:${this.#port}`;
  }

  get connectionCount(): number {
    return this.#sessions.size;
  }

  userFor(token: string): DemoUser | undefined {
    if (this.#options.guestToken !== undefined && token === this.#options.guestToken) {
      return DEMO_GUEST;
    }
    const owner =
      this.#options.token === undefined ? token.length > 0 : token === this.#options.token;
    return owner ? DEMO_OWNER : undefined;
  }

  config(): HassConfig {
    return demoConfig(this.haVersion);
  }

  callService(
    call: ServiceCall,
    userId: string,
  ): { context: HassContext; response: ServiceResponse } {
    const context = newContext(userId);
    const response = runServiceCall(this.model, call, context);
    this.calls.push({ ...call, context_id: context.id });
    if (this.calls.length > CALL_LOG_SIZE) this.calls.shift();
    return { context, response };
  }

  /** Notifications that `notify.*` sent (also from scripts), newest last. */
  get notifications(): readonly SentNotification[] {
    return this.model.outbox;
  }

  /** The entity's state as `get_states` reports it. */
  state(entityId: string): HassState | undefined {
    const st = this.model.states.get(entityId);
    return st ? toHassState(st) : undefined;
  }

  states(): HassState[] {
    return [...this.model.states.values()].map(toHassState);
  }

  /** Sets a state as an integration would; attributes are kept unless given. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): HassState {
    const current = this.model.states.get(entityId);
    return toHassState(this.model.set(entityId, state, attributes ?? current?.attributes ?? {}));
  }

  /** Adds an entity with a registry entry (area directly, or through `deviceId`'s device). */
  addEntity(
    entityId: string,
    state: string,
    attributes: Record<string, unknown> = {},
    where: { areaId?: string; deviceId?: string } = {},
  ): HassState {
    const name = typeof attributes.friendly_name === 'string' ? attributes.friendly_name : entityId;
    this.registry.addEntityEntry({
      entityId,
      name,
      areaId: where.areaId ?? null,
      deviceId: where.deviceId ?? null,
    });
    return this.setState(entityId, state, attributes);
  }

  removeEntity(entityId: string): boolean {
    this.registry.removeEntityEntry(entityId);
    return this.model.remove(entityId);
  }

  /** Moves an entity to another area (null: back to its device's area) in the entity registry. */
  moveEntityToArea(entityId: string, areaId: string | null): void {
    this.registry.updateEntity(entityId, { area_id: areaId });
  }

  moveDeviceToArea(deviceId: string, areaId: string | null): void {
    this.registry.updateDevice(deviceId, { area_id: areaId });
  }

  /** Sensor changes per second from now on. */
  setRate(rate: number): void {
    this.#noise.setRate(rate);
  }

  /** Cuts every client connection without a close handshake, like a network failure. */
  dropConnections(): void {
    for (const session of [...this.#sessions]) {
      session.terminate();
      this.#closed(session);
    }
  }

  #closed(session: DemoSession): void {
    if (!this.#sessions.delete(session)) return;
    session.stopTimers();
    this.publisher.drop(session);
  }
}
