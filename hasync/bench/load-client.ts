/**
 * The fan-out load client, a process of its own: opens one real WebSocket per device token,
 * authenticates, subscribes to entities and measures change-to-device latency from the
 * `lc`/`lu` time the demo home stamped on each change (same machine, same clock). A tap
 * connection straight to the demo home counts what was published, so drops can be counted.
 * Usage: node bench/load-client.ts CONFIG.json; commands on stdin, one JSON result per line out.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

interface LoadConfig {
  readonly url: string;
  readonly tokens: readonly string[];
  readonly tapUrl: string;
  readonly tapToken: string;
}

type Diff = Record<string, { '+'?: { lc?: number; lu?: number } }>;
type Message = { type: string; event?: { a?: object; c?: Diff } };

/** home-assistant-js-websocket's messages.supportedFeatures(), sent after auth_ok. */
const SUPPORTED_FEATURES = {
  id: 1,
  type: 'supported_features',
  features: { coalesce_messages: 1 },
};

interface Window {
  start: number;
  end: number;
}

/** One subscribed socket: a device, or the tap on the demo home. */
class Sub {
  scope = new Set<string>();
  received = 0;
  /** Entity → the newest change stamp received in the window. */
  latest = new Map<string, number>();
  ready: Promise<void>;
  errors = 0;
  /** Close codes of sockets the server closed (code → count), for the report. */
  readonly closes = new Map<number, number>();
  #ws: WebSocket | undefined;
  #onReady: () => void = () => {};
  readonly #url: string;
  readonly #token: string;
  readonly #onChange: (sub: Sub, entity: string, ms: number) => void;

  constructor(
    url: string,
    token: string,
    onChange: (sub: Sub, entity: string, ms: number) => void,
  ) {
    this.#url = url;
    this.#token = token;
    this.#onChange = onChange;
    this.ready = this.connect();
  }

  connect(): Promise<void> {
    this.ready = new Promise((resolve) => {
      this.#onReady = resolve;
    });
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.on('message', (data) => this.#message(String(data)));
    ws.on('error', () => {
      this.errors++;
    });
    ws.on('close', (code) => {
      if (this.#ws !== ws) return;
      this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
      // A socket closed before its snapshot is an error, not a wait that never ends.
      this.errors++;
      this.#onReady();
    });
    return this.ready;
  }

  drop(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.removeAllListeners('close');
    ws?.removeAllListeners('message');
    ws?.on('error', () => {});
    ws?.terminate();
  }

  #message(text: string): void {
    const parsed = JSON.parse(text) as Message | Message[];
    // A coalesced frame carries several messages in one JSON array.
    for (const msg of Array.isArray(parsed) ? parsed : [parsed]) this.#handle(msg);
  }

  #handle(msg: Message): void {
    if (msg.type === 'auth_required') {
      this.#ws?.send(JSON.stringify({ type: 'auth', access_token: this.#token }));
    } else if (msg.type === 'auth_ok') {
      // As home-assistant-js-websocket (HA's frontend, the kiosk) does on every connect: ask for
      // messages produced together to arrive as one frame.
      this.#ws?.send(JSON.stringify(SUPPORTED_FEATURES));
      this.#ws?.send(JSON.stringify({ id: 2, type: 'subscribe_entities' }));
    } else if (msg.type === 'auth_invalid') {
      this.errors++;
    } else if (msg.type === 'event' && msg.event?.a && this.scope.size === 0) {
      this.scope = new Set(Object.keys(msg.event.a));
      this.#onReady();
    } else if (msg.type === 'event' && msg.event?.a) {
      this.#onReady();
    } else if (msg.type === 'event' && msg.event?.c) {
      for (const [entity, change] of Object.entries(msg.event.c)) {
        const stamp = Math.max(change['+']?.lc ?? 0, change['+']?.lu ?? 0);
        if (stamp > 0) this.#onChange(this, entity, stamp * 1000);
      }
    }
  }
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadConfig;
let window: Window | undefined;
let latencies: number[] = [];
let published = new Map<string, number>();

function inWindow(ms: number): boolean {
  return window !== undefined && ms >= window.start && ms <= window.end;
}

function onDeviceChange(sub: Sub, entity: string, ms: number): void {
  if (!inWindow(ms)) return;
  sub.received++;
  if (ms > (sub.latest.get(entity) ?? 0)) sub.latest.set(entity, ms);
  latencies.push(Date.now() - ms);
}

function onTapChange(sub: Sub, entity: string, ms: number): void {
  if (!inWindow(ms)) return;
  published.set(entity, (published.get(entity) ?? 0) + 1);
  if (ms > (sub.latest.get(entity) ?? 0)) sub.latest.set(entity, ms);
}

/** Entities in a device's scope whose newest published change never reached it. */
function stale(d: Sub): number {
  let n = 0;
  for (const [entity, ms] of tap.latest)
    if (d.scope.has(entity) && (d.latest.get(entity) ?? 0) < ms) n++;
  return n;
}

async function connectAll(subs: Sub[], parallel: number): Promise<void> {
  for (let i = 0; i < subs.length; i += parallel) {
    await Promise.all(subs.slice(i, i + parallel).map((s) => s.ready));
  }
}

const tap = new Sub(config.tapUrl, config.tapToken, onTapChange);
await tap.ready;
const devices: Sub[] = [];
for (let i = 0; i < config.tokens.length; i += 50) {
  const batch = config.tokens.slice(i, i + 50).map((t) => new Sub(config.url, t, onDeviceChange));
  devices.push(...batch);
  await connectAll(batch, 50);
}
reply({ ready: devices.length });

function reply(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function summary(graceEnd: number): object {
  let expected = 0;
  let received = 0;
  let lost = 0;
  for (const d of devices) {
    for (const entity of d.scope) expected += published.get(entity) ?? 0;
    received += d.received;
    lost += stale(d);
  }
  const sorted = latencies.sort((a, b) => a - b);
  const pick = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? -1;
  const curve = [0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1].map((p) => [p * 100, pick(p)]);
  return {
    published: [...published.values()].reduce((a, b) => a + b, 0),
    expected,
    received,
    // Changes not delivered one by one: merged into a later change of the same entity (the
    // server coalesces per turn when it lags), or lost when the newest state never arrived.
    dropped: Math.max(0, expected - received),
    lost,
    p50: pick(0.5),
    p99: pick(0.99),
    max: sorted.at(-1) ?? -1,
    curve,
    errors: devices.reduce((n, d) => n + d.errors, 0),
    closes: closeCodes(),
    graceMs: graceEnd,
  };
}

/** Close codes the server sent, over all devices so far. */
function closeCodes(): Record<number, number> {
  const out: Record<number, number> = {};
  for (const d of devices) for (const [code, n] of d.closes) out[code] = (out[code] ?? 0) + n;
  return out;
}

async function storm(): Promise<object> {
  const t0 = performance.now();
  for (const d of devices) d.drop();
  const before = devices.reduce((n, d) => n + d.errors, 0);
  await Promise.all(devices.map((d) => d.connect()));
  const ms = performance.now() - t0;
  return {
    storm_ms: ms,
    errors: devices.reduce((n, d) => n + d.errors, 0) - before,
    closes: closeCodes(),
  };
}

const GRACE_MS = 1500;
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'measure') {
    latencies = [];
    published = new Map();
    for (const d of [...devices, tap]) {
      d.received = 0;
      d.latest = new Map();
    }
    window = { start: Date.now(), end: Number.POSITIVE_INFINITY };
    reply({ measuring: true });
  } else if (line === 'stop' && window) {
    window.end = Date.now();
    await new Promise((r) => setTimeout(r, GRACE_MS));
    reply(summary(GRACE_MS));
    window = undefined;
  } else if (line === 'storm') {
    reply(await storm());
  } else if (line === 'quit') {
    for (const d of [...devices, tap]) d.drop();
    process.exit(0);
  }
}
