import { type Config, loadConfig } from './config/config.ts';
import { Hasync } from './hasync.ts';
import { errorMessage, HasyncError } from './shared/errors.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { VERSION } from './shared/version.ts';
import { restoreSnapshotIfMissing } from './storage/snapshot.ts';

/** A stop that has not finished by then is forced, so the Supervisor never waits on us. */
const SHUTDOWN_LIMIT_MS = 4500;

function fail(message: string): never {
  // Start-up failures are for a person reading the app log: plain lines, no stack trace.
  process.stderr.write(`hasync: ${message.split('\n').join('\nhasync: ')}\n`);
  process.exit(1);
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig({ env: process.env });
  } catch (err) {
    fail(err instanceof HasyncError ? err.message : errorMessage(err));
  }
}

async function createRootLogger(config: Config): Promise<Logger> {
  if (config.mode === 'app' || !process.stdout.isTTY) return createLogger(config.logLevel);
  // Loaded only for a person at a terminal: the app and every redirected run log JSON lines.
  const { default: pretty } = await import('pino-pretty');
  return createLogger(config.logLevel, pretty({ colorize: true, ignore: 'pid,hostname,name' }));
}

function handleSignals(hasync: Hasync, log: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    hasync.stop().then(
      () => {
        log.info('stopped cleanly');
        log.flush();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = await createRootLogger(config);
  let hasync: Hasync;
  try {
    if (restoreSnapshotIfMissing(config.dbPath)) {
      log.warn({ db: config.dbPath }, 'no database: restored it from the backup snapshot');
    }
    hasync = new Hasync({ config, log });
  } catch (err) {
    fail(errorMessage(err));
  }
  handleSignals(hasync, log);
  try {
    await hasync.start();
  } catch (err) {
    fail(`could not start: ${errorMessage(err)}`);
  }
  log.info(
    {
      version: VERSION,
      node: process.version,
      arch: process.arch,
      mode: config.mode,
      admin: hasync.admin.url,
      device: hasync.device.url,
      db: config.dbPath,
    },
    `HAsync ${VERSION} running on Node ${process.version} (${config.mode} mode)`,
  );
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`hasync: unhandled rejection: ${errorMessage(reason)}\n`);
});

/**
 * Settles once HAsync serves, or has failed to start and is exiting. The bundle's entry
 * (scripts/server-entry.ts) keeps V8's compiled code of the start-up then.
 */
export const started: Promise<void> = main().catch((err: unknown) =>
  fail(`could not start: ${errorMessage(err)}`),
);
