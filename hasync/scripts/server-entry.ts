/**
 * The entry of a server bundle (built into dist/server.mjs, see server-bundle.ts): runs the
 * bundle beside it, compiled with V8's code cache of its last start when there is one, and once
 * the bundle's exported `started` promise settles, writes that cache if it had none or V8 refused
 * it. The cache then holds every function start-up ran, so a later start compiles almost
 * nothing. It is kept in Node's compile cache folder (NODE_COMPILE_CACHE, else the system's
 * temporary folder), one file per bundle path, architecture, Node release and bundle content, so
 * a stale or missing cache is only slower, never wrong (V8 also checks it and refuses one that
 * does not fit); a cache that cannot be written is done without, and one another user could
 * have written is not used.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, Script } from 'node:vm';

/** The bundle's file name, set when this entry is built. */
declare const BUNDLE_FILE: string;

/** The bundle's `module`: it exports `started` (src/main.ts). */
interface BundleModule {
  exports: { started?: Promise<unknown> };
}

type BundleFunction = (
  exports: object,
  require: NodeJS.Require,
  module: BundleModule,
  filename: string,
  dirname: string,
) => void;

const file = join(import.meta.dirname, BUNDLE_FILE);
const folder = join(
  process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'node-compile-cache'),
  'bundles',
);

function hash(...parts: string[]): string {
  const sha = createHash('sha256').update(process.arch);
  for (const part of parts) sha.update(`\0${part}`);
  return sha.digest('hex').slice(0, 24);
}

/**
 * The cache, if this user wrote it: compiled code is run as it is, so a file that another user
 * could have written or replaced (the folder may be in a shared /tmp) is not used.
 */
function readCache(cacheFile: string): Buffer | undefined {
  try {
    const uid = process.getuid?.();
    for (const path of [folder, cacheFile]) {
      const stat = statSync(path);
      if (stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined;
    }
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache whole or not at all, and removes the other caches under this bundle path's
 * `prefix` (another release of the bundle or of Node).
 */
function writeCache(script: Script, prefix: string, cacheFile: string): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData(), { mode: 0o600 });
    renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    for (const name of readdirSync(folder)) {
      const old = join(folder, name);
      if (old.startsWith(prefix) && old !== cacheFile) rmSync(old, { force: true });
    }
  } catch {
    // A read-only or full disk: the next start compiles as this one did.
  }
}

/** Compiles and runs the bundle; the source and the cache read are not kept beyond this. */
function start(): void {
  const source = readFileSync(file, 'utf8');
  // Named by the bundle's path, then by the Node release and the bundle's content.
  const prefix = join(folder, `${BUNDLE_FILE}-${hash(file)}-`);
  const cacheFile = `${prefix}${hash(process.version, source)}`;
  const cachedData = readCache(cacheFile);
  const script = new Script(source, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const run = script.runInThisContext() as BundleFunction;
  const module: BundleModule = { exports: {} };
  run(module.exports, createRequire(file), module, file, import.meta.dirname);
  if (cachedData && !script.cachedDataRejected) return;
  void Promise.resolve(module.exports.started).then(
    () => writeCache(script, prefix, cacheFile),
    () => undefined,
  );
}

start();
