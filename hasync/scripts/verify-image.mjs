#!/usr/bin/env node
/**
 * verify-image --target amd64|arm64 --node-major N --app DIR
 *
 * Run by the Dockerfile inside the runtime stage, so a wrong image can never be built:
 * checks the Node major version and architecture, that node:sqlite works, that no ELF/.node
 * file in the app tree (nor the node binary) is for another architecture, and that the bundle
 * really boots (demo mode, ports 0, a throw-away data folder), answers /api/health and exits 0
 * on SIGTERM. Prints one line per check; exits 1 on the first failure. Plain JavaScript with no
 * dependencies: only `node` exists in the runtime image.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const NODE_ARCH = { amd64: 'x64', arm64: 'arm64', aarch64: 'arm64' };
const BOOT_LIMIT_MS = 120_000; // generous: arm64 builds run under qemu emulation
const STOP_LIMIT_MS = 15_000;

class CheckFailed extends Error {}

function ok(line) {
  process.stdout.write(`verify-image: ok   ${line}\n`);
}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function checkNode(target, nodeMajor) {
  const major = Number(process.versions.node.split('.')[0]);
  check(major === nodeMajor, `Node ${process.version} is not Node ${nodeMajor}`);
  ok(`Node ${process.version}`);
  check(process.arch === NODE_ARCH[target], `process.arch is ${process.arch}, target ${target}`);
  ok(`architecture ${process.arch} matches target ${target}`);
}

async function checkSqlite(dir) {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(join(dir, 'probe.db'));
  try {
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('answer', 42);
    const row = db.prepare('SELECT v FROM t WHERE k = ?').get('answer');
    check(row?.v === 42, 'node:sqlite did not return the row it stored');
  } finally {
    db.close();
  }
  ok('node:sqlite stores and reads a row (WAL)');
}

function checkArch(target, app) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'verify-arch.mjs');
  const run = spawnSync(process.execPath, [script, '--target', target, app, process.execPath], {
    encoding: 'utf8',
  });
  check(run.status === 0, `foreign binaries in the image:\n${run.stdout}${run.stderr}`);
  ok(`no ELF or .node file for another architecture (${run.stderr.trim()})`);
}

/** Starts the bundle in demo mode and resolves with the admin and device URLs it logs. */
function boot(app, dataDir) {
  const child = spawn(process.execPath, [join(app, 'server.mjs')], {
    env: {
      PATH: process.env.PATH,
      HASYNC_DATA_DIR: dataDir,
      HASYNC_ADMIN_PORT: '0',
      HASYNC_DEVICE_PORT: '0',
      HASYNC_DEVICE_BIND: '127.0.0.1',
      // The code cache the entry writes once started goes with the scratch folder, not the image.
      NODE_COMPILE_CACHE: join(dataDir, 'compile-cache'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new CheckFailed(`bundle not up in time:\n${output}`)),
      BOOT_LIMIT_MS,
    );
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        const entry = line.startsWith('{') ? safeJson(line) : undefined;
        if (entry?.admin && entry?.device) {
          clearTimeout(timer);
          resolve({ admin: entry.admin, device: entry.device });
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new CheckFailed(`bundle exited with ${code} while starting:\n${output}`));
    });
  });
  return { child, ready };
}

function safeJson(line) {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function checkBoot(app, dataDir) {
  const { child, ready } = boot(app, dataDir);
  try {
    const urls = await ready;
    for (const base of [urls.admin, urls.device]) {
      const res = await fetch(`${base}/api/health`);
      const body = await res.json();
      check(
        res.status === 200 && body.status === 'ok',
        `${base}/api/health answered ${res.status}`,
      );
    }
    ok('bundle boots and /api/health answers 200 on both listeners');
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    const timeout = new Promise((resolve) =>
      setTimeout(() => resolve(undefined), STOP_LIMIT_MS).unref(),
    );
    const result = await Promise.race([exited, timeout]);
    check(result !== undefined, 'bundle did not stop after SIGTERM');
    check(result.code === 0, `bundle exited with ${result.code ?? result.signal} after SIGTERM`);
    ok('bundle exits 0 on SIGTERM');
  } finally {
    child.kill('SIGKILL');
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      'node-major': { type: 'string' },
      app: { type: 'string' },
    },
  });
  const target = values.target;
  if (!NODE_ARCH[target] || !values['node-major'] || !values.app) {
    process.stderr.write('usage: verify-image --target amd64|arm64 --node-major N --app DIR\n');
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'hasync-verify-'));
  try {
    checkNode(target, Number(values['node-major']));
    await checkSqlite(scratch);
    checkArch(target, values.app);
    await checkBoot(values.app, join(scratch, 'data'));
    check(
      readdirSync(values.app).every((f) => !f.endsWith('.db')),
      'a database was left in the app',
    );
    return 0;
  } catch (err) {
    const message = err instanceof CheckFailed ? err.message : (err?.stack ?? String(err));
    process.stderr.write(`verify-image: FAIL ${message}\n`);
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main();
