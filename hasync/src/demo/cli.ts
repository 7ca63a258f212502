/**
 * Runs the demo home as its own process:
 * `npm run demo-ha -- --port N --entities N --rate N [--token T] [--host H]`.
 * Prints one line with the URL, stops cleanly on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { DemoHome } from './demo-home.ts';
import { SEED_ENTITY_COUNT } from './seed.ts';

function fail(message: string): never {
  process.stderr.write(`demo-ha: ${message}\n`);
  process.exit(2);
}

function intArg(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) fail(`--${name} must be a number`);
  return n;
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        entities: { type: 'string' },
        rate: { type: 'string' },
        token: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
}

const args = parse();
const options = {
  port: intArg(args.port, 'port', 0),
  host: args.host ?? '127.0.0.1',
  entities: intArg(args.entities, 'entities', SEED_ENTITY_COUNT),
  rate: intArg(args.rate, 'rate', 0.5),
  ...(args.token === undefined ? {} : { token: args.token }),
};
const home = new DemoHome(options);
await home.start();
// One machine-readable line, so scripts and benchmarks can find the port.
process.stdout.write(
  `demo-ha listening on ${home.url} (ws ${home.url.replace('http', 'ws')}/api/websocket, ` +
    `${home.model.states.size} entities, ${options.rate} changes/s)\n`,
);

let stopping = false;
function shutdown(): void {
  if (stopping) return;
  stopping = true;
  home.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`demo-ha: stop failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
