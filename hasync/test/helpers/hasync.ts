import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config.ts';
import { Hasync } from '../../src/hasync.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { tempDir } from './tmp.ts';

export interface TestServer {
  readonly hasync: Hasync;
  readonly adminUrl: string;
  readonly deviceUrl: string;
  /** Every log line written so far (JSON, one per line). */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts HAsync in-process on 127.0.0.1 with ports 0 and a temp data folder (or the given one),
 * capturing its log. `env` adds HASYNC_* variables (demo mode unless they say otherwise).
 */
export async function startTestServer(
  options: {
    env?: NodeJS.ProcessEnv;
    dataDir?: string;
    clock?: Clock;
    webRoot?: string;
    kioskRoot?: string;
  } = {},
): Promise<TestServer> {
  const temp = options.dataDir ? undefined : tempDir();
  const config = loadConfig({
    env: {
      HASYNC_ADMIN_PORT: '0',
      HASYNC_DEVICE_PORT: '0',
      HASYNC_DEVICE_BIND: '127.0.0.1',
      HASYNC_LOG_LEVEL: 'debug',
      HASYNC_DATA_DIR: options.dataDir ?? temp?.dir,
      ...options.env,
    },
  });
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const log = createLogger(config.logLevel, sink);
  const hasync = new Hasync({
    config,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.kioskRoot ? { kioskRoot: options.kioskRoot } : {}),
  });
  await hasync.start();
  return {
    hasync,
    adminUrl: hasync.admin.url,
    deviceUrl: hasync.device.url,
    logs: () => text,
    stop: async () => {
      await hasync.stop();
      temp?.cleanup();
    },
  };
}

/** Starts the server in demo mode and waits until the simulated home has reached its cache. */
export async function startDemoServer(
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<TestServer> {
  const server = await startTestServer(options);
  await waitFor(() => server.hasync.cache.states().size > 50, 'the demo home in the cache');
  return server;
}
