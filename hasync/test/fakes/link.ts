import { Writable } from 'node:stream';
import { HomeCache } from '../../src/cache/home-cache.ts';
import type { HassEvent } from '../../src/protocol/home-assistant.ts';
import { EventBus } from '../../src/shared/bus.ts';
import type { HasyncEvents, StateChange } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { UpstreamLink, type UpstreamLinkDeps } from '../../src/upstream/upstream-link.ts';

/** An upstream link with its cache and bus, recording every bus event and log line. */
export interface LinkHarness {
  readonly link: UpstreamLink;
  readonly cache: HomeCache;
  readonly bus: EventBus<HasyncEvents>;
  /** Every StateChange emitted so far, in order. */
  readonly changes: StateChange[];
  readonly registryEvents: string[];
  /** Every `upstream_event` relayed so far, in order. */
  readonly upstreamEvents: HassEvent[];
  /** Every `upstream` state announced so far, in order. */
  readonly upstreamStates: string[];
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Fast retries so tests never wait seconds: 20 ms doubling to 100 ms, auth retries at 200 ms;
 * relists 20 ms after a change event.
 */
export const FAST_RETRY = {
  backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  authRetryMs: 200,
  connectTimeoutMs: 2000,
  relistDelays: { registry: 20, services: 20 },
};

export async function startLink(
  options: Partial<UpstreamLinkDeps> & { url: string; token: string },
): Promise<LinkHarness> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const log = createLogger('debug', sink);
  const bus = new EventBus<HasyncEvents>(log);
  const cache = new HomeCache({ bus });
  const changes: StateChange[] = [];
  const registryEvents: string[] = [];
  const upstreamEvents: HassEvent[] = [];
  const upstreamStates: string[] = [];
  bus.on('test', 'states_changed', (p) => changes.push(...p.changes));
  bus.on('test', 'registry_changed', (p) => registryEvents.push(p.registry));
  bus.on('test', 'upstream_event', (p) => upstreamEvents.push(p.event));
  bus.on('test', 'upstream', (p) => upstreamStates.push(p.state));
  const link = new UpstreamLink({ log, bus, sink: cache, ...FAST_RETRY, ...options });
  await cache.start();
  await link.start();
  return {
    link,
    cache,
    bus,
    changes,
    registryEvents,
    upstreamEvents,
    upstreamStates,
    logs: () => text,
    stop: async () => {
      await link.stop();
      await cache.stop();
    },
  };
}
