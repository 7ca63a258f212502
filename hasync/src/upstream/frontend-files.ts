import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';

/** Hashed frontend files kept in memory, at most this many bytes in all (least recent go first). */
export const FRONTEND_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** A file larger than this is passed through but not kept. */
const MAX_CACHED_FILE_BYTES = 8 * 1024 * 1024;
/** A file larger than this is refused (the largest in HA's frontend 20240307 is under 1 MB). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;
/** While Home Assistant serves no frontend, `/` asks again at most this often. */
const PROBE_INTERVAL_MS = 30_000;

/**
 * Build outputs named by their content, which never change: webpack chunks (`core.Gn-4CPyde28.js`,
 * their `.map` and `.LICENSE.txt`) and translation files (`de-<md5>.json`).
 * HA: hass_frontend (home-assistant-frontend 20240307.0) file names.
 */
const IMMUTABLE_PATHS = [
  /^\/frontend_(?:latest|es5)\/[\w.-]+\.[\w-]{11}\.(?:js|css)(?:\.map|\.LICENSE\.txt)?$/,
  /^\/static\/translations\/(?:[\w-]+\/)?[\w-]+-[0-9a-f]{32}\.json$/,
];

/** Whether a frontend path names a file whose content never changes. */
export function isImmutableFrontendPath(path: string): boolean {
  return IMMUTABLE_PATHS.some((pattern) => pattern.test(path));
}

/** One answer of Home Assistant's web server, body as sent (gzip when `encoding` says so). */
export interface FrontendFile {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly encoding: 'gzip' | undefined;
  readonly cacheControl: string | undefined;
  readonly immutable: boolean;
}

export interface FrontendFilesDeps {
  readonly log: Logger;
  /** Home Assistant's own HTTP server (http/https, no trailing slash). */
  readonly baseUrl: string;
  readonly now?: () => number;
}

/**
 * Home Assistant's frontend files, fetched from its web server without a token (its static files
 * and index need none) and never modified. Hashed files are kept in a bounded in-memory cache;
 * the index is fetched on every request. Files are asked for gzip, so Home Assistant answers with
 * its pre-compressed `.gz` variants, which are kept and passed on as they are.
 */
export class FrontendFiles implements Module {
  readonly name = 'frontend-files';
  readonly #deps: FrontendFilesDeps;
  readonly #log: Logger;
  readonly #cache = new Map<string, FrontendFile>();
  readonly #pending = new Map<string, Promise<FrontendFile>>();
  #cachedBytes = 0;
  #served = false;
  #probedAt = Number.NEGATIVE_INFINITY;
  #probing: Promise<unknown> | undefined;
  #abort = new AbortController();

  constructor(deps: FrontendFilesDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: 'frontend-files' });
  }

  async start(): Promise<void> {
    this.#abort = new AbortController();
    // Not awaited: Home Assistant may still be starting; `/` asks again later.
    void this.index().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#cache.clear();
    this.#cachedBytes = 0;
  }

  /** Whether Home Assistant served its frontend when last asked. */
  served(): boolean {
    return this.#served;
  }

  /** Asks Home Assistant again whether it serves a frontend, unless it was asked recently. */
  async probeIfStale(): Promise<boolean> {
    const now = this.#now();
    if (this.#probing) await this.#probing;
    else if (!this.#served && now - this.#probedAt >= PROBE_INTERVAL_MS) {
      await this.index().catch(() => undefined);
    }
    return this.#served;
  }

  /** The frontend's index page (never cached); 200 also records that a frontend is served. */
  index(): Promise<FrontendFile> {
    this.#probedAt = this.#now();
    const fetching = this.#fetch('/').then(
      (page) => {
        this.#setServed(page.status === 200 && /text\/html/.test(page.contentType ?? ''));
        return page;
      },
      (err: unknown) => {
        this.#setServed(false);
        throw err;
      },
    );
    const probe = fetching.catch(() => undefined);
    this.#probing = probe;
    void probe.then(() => {
      if (this.#probing === probe) this.#probing = undefined;
    });
    return fetching;
  }

  /** A frontend file: from the cache when its name is hashed, else from Home Assistant. */
  async file(path: string): Promise<FrontendFile> {
    const cached = this.#cache.get(path);
    if (cached) {
      // Map order is recency order: move it to the end.
      this.#cache.delete(path);
      this.#cache.set(path, cached);
      return cached;
    }
    const pending = this.#pending.get(path);
    if (pending) return pending;
    const fetching = this.#fetch(path).then((file) => {
      if (file.immutable && file.status === 200) this.#keep(path, file);
      return file;
    });
    this.#pending.set(path, fetching);
    try {
      return await fetching;
    } finally {
      this.#pending.delete(path);
    }
  }

  /** Bytes held by the cache now (for tests and status). */
  cachedBytes(): number {
    return this.#cachedBytes;
  }

  #setServed(served: boolean): void {
    if (served !== this.#served) {
      this.#log.info({ served }, served ? 'serving the frontend' : 'no frontend upstream');
    }
    this.#served = served;
  }

  #keep(path: string, file: FrontendFile): void {
    const size = file.body.length;
    if (size > MAX_CACHED_FILE_BYTES) return;
    this.#cache.set(path, file);
    this.#cachedBytes += size;
    for (const [oldest, entry] of this.#cache) {
      if (this.#cachedBytes <= FRONTEND_CACHE_MAX_BYTES) break;
      this.#cache.delete(oldest);
      this.#cachedBytes -= entry.body.length;
    }
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  #fetch(path: string): Promise<FrontendFile> {
    const url = new URL(path, `${this.#deps.baseUrl}/`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]);
    return new Promise((resolve, reject) => {
      // Only gzip: HA then serves its pre-compressed .gz files (aiohttp FileResponse).
      const req = request(url, { headers: { 'accept-encoding': 'gzip' }, signal }, (res) => {
        readBody(res).then((body) => resolve(toFile(path, res, body)), reject);
      });
      req.on('error', reject);
      req.end();
    });
  }
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FILE_BYTES)
        res.destroy(new Error(`frontend file over ${MAX_FILE_BYTES} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

function toFile(path: string, res: IncomingMessage, body: Buffer): FrontendFile {
  const encoding = res.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'gzip' && encoding !== 'identity') {
    throw new Error(`unexpected content-encoding ${encoding}`);
  }
  return {
    status: res.statusCode ?? 502,
    body,
    contentType: res.headers['content-type'],
    encoding: encoding === 'gzip' ? 'gzip' : undefined,
    cacheControl: res.headers['cache-control'],
    immutable: isImmutableFrontendPath(path),
  };
}
