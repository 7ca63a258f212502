import { spawn } from 'node:child_process';

/** Progress goes to stderr; stdout carries only the one JSON line. */
export function note(message: string): void {
  process.stderr.write(`[real-ha] ${message}\n`);
}

export function seconds(sinceMs: number): string {
  return ((performance.now() - sinceMs) / 1000).toFixed(1);
}

/**
 * Runs a command to completion. Its stdout is returned (and echoed to stderr unless `capture`);
 * its stderr goes to ours. A non-zero exit throws with the command line.
 */
export async function run(
  command: string,
  args: string[],
  options: { capture?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.env ?? process.env,
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (!options.capture) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` exited with ${code}`);
  return out;
}
