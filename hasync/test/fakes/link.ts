import { Writable } from 'node:stream';
import { HomeCache } from '../../src/cache/home-cache.ts';
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
  logs(): string;
  stop(): Promise<void>;
}

/** Fast retries so tests never wait seconds: 20 ms doubling to 100 ms, auth retries at 200 ms. */
export const FAST_RETRY = {
  backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  authRetryMs: 200,
  connectTimeoutMs: 2000,
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
  bus.on('test', 'states_changed', (p) => changes.push(...p.changes));
  bus.on('test', 'registry_changed', (p) => registryEvents.push(p.registry));
  const link = new UpstreamLink({ log, bus, sink: cache, ...FAST_RETRY, ...options });
  await cache.start();
  await link.start();
  return {
    link,
    cache,
    bus,
    changes,
    registryEvents,
    logs: () => text,
    stop: async () => {
      await link.stop();
      await cache.stop();
    },
  };
}
