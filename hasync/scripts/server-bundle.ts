/**
 * How a server is bundled (scripts/build.ts for HAsync, bench/run.ts for the benchmark's stack
 * floor): one minified file that runs with plain `node` and no node_modules beside it, and the
 * entry that starts it (scripts/server-entry.ts).
 *
 * The bundle is CommonJS, written as one function expression `(function (exports, require,
 * module, __filename, __dirname) { … })` — what Node wraps a CommonJS file in — so that the entry
 * can compile it as a `vm.Script` and keep V8's code cache of it *after* start-up: with the
 * functions start-up ran, not only those compiled before it (Node's own compile cache keeps
 * the latter, which left most of the bundle's functions to be compiled on every start). Being
 * CommonJS, it takes `node:http` by `require`, never through Node's ESM facade of the module,
 * which reads every export, and reading `WebSocket` loads undici (17 MB of RSS unused).
 */
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/**
 * Dependencies of dependencies that are loaded with them but needed only later, and what the
 * bundle gives their importers instead: a stand-in with the names the importer uses, each
 * loading the real module on first use. `glob`: @fastify/static lists the root folder with it
 * only for an option HAsync never sets (`wildcard: false`); 11 ms of a start in a CPU profile.
 * `mime`: @fastify/send asks it a file's type on the first file served; building its tables was
 * 8 ms of a start in a CPU profile, below the noise of A/B runs (@fastify/static sets
 * `default_type` on it when loaded, kept on the stand-in, which both of @fastify/send's files
 * share as they shared the module).
 */
const STAND_INS: Record<string, { importer: string; contents: string }> = {
  glob: {
    importer: '/@fastify/static/',
    contents: "let real;\nexports.glob = (...a) => (real ??= require('glob')).glob(...a);\n",
  },
  mime: {
    importer: '/@fastify/send/',
    contents: [
      'let real;',
      "const load = () => (real ??= require('mime'));",
      'module.exports = {',
      '  default_type: undefined,',
      '  getType: (path) => load().getType(path),',
      '  getExtension: (type) => load().getExtension(type),',
      '};',
      '',
    ].join('\n'),
  },
};

export const loadOnFirstUse: Plugin = {
  name: 'load-on-first-use',
  setup(b) {
    const names = new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`);
    b.onResolve({ filter: names }, (args) => {
      const standIn = STAND_INS[args.path];
      return args.namespace === 'file' && standIn && args.importer.includes(standIn.importer)
        ? { path: args.path, namespace: 'first-use', pluginData: args.resolveDir }
        : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'first-use' }, (args) => ({
      contents: STAND_INS[args.path]?.contents ?? '',
      resolveDir: args.pluginData as string,
      loader: 'js',
    }));
  },
};

/** esbuild's options for bundling `entry` (a .ts file) into `outfile` as that function. */
export function serverBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // Strict, as the ES modules it is made of were; import.meta.url is the bundle file's URL.
    banner: {
      js: [
        '(function (exports, require, module, __filename, __dirname) {',
        "'use strict';",
        "const __hasyncImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      ].join('\n'),
    },
    footer: { js: '\n})' },
    define: { 'import.meta.url': '__hasyncImportMetaUrl' },
    metafile: true,
    logLevel: 'warning',
    plugins: [loadOnFirstUse],
  };
}

/** esbuild's options for the entry that starts `bundleFile` (beside it) into `outfile`. */
export function serverEntryOptions(bundleFile: string, outfile: string): BuildOptions {
  return {
    entryPoints: [join(import.meta.dirname, 'server-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    define: { BUNDLE_FILE: JSON.stringify(bundleFile) },
    logLevel: 'warning',
  };
}
