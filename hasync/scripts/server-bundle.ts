/**
 * How a server is bundled (scripts/build.ts for HAsync, bench/stack-floor.ts for the benchmark's
 * floor): one minified ESM file that runs with plain `node` and no node_modules beside it, and
 * the entry that turns on Node's compile cache before loading it.
 */
import { createRequire } from 'node:module';
import type { BuildOptions, Plugin } from 'esbuild';

// Some bundled CommonJS dependencies expect require/__dirname; give the ESM bundle both.
const BANNER = [
  "import { createRequire as __hasyncCreateRequire } from 'node:module';",
  "import { fileURLToPath as __hasyncFileURLToPath } from 'node:url';",
  'const require = __hasyncCreateRequire(import.meta.url);',
  'const __filename = __hasyncFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join('\n');

/**
 * `import … from 'node:http'` goes through Node's ESM facade of the module, which reads every
 * export, and reading `WebSocket` loads undici: 17 MB of RSS in a process that never uses it. The
 * bundle takes node:http and node:https through `require`, as its CommonJS dependencies do; only
 * their plain properties are exported (an accessor imported by name fails the build).
 */
export const httpViaRequire: Plugin = {
  name: 'node-http-via-require',
  setup(b) {
    b.onResolve({ filter: /^node:https?$/ }, (args) =>
      args.kind === 'import-statement' ? { path: args.path, namespace: 'via-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'via-require' }, (args) => {
      const mod = createRequire(import.meta.url)(args.path) as object;
      const names = Object.keys(mod).filter((k) => !Object.getOwnPropertyDescriptor(mod, k)?.get);
      const lines = names.map((name) => `export const ${name} = m.${name};`);
      const contents = [
        `const m = require(${JSON.stringify(args.path)});`,
        ...lines,
        'export default m;',
      ];
      return { contents: contents.join('\n'), loader: 'js' };
    });
  },
};

/**
 * @fastify/static loads `glob` when it is loaded, for one option HAsync never sets (`wildcard:
 * false`, which lists the root folder at start-up): 11 ms of every start. In the bundle its
 * `glob` is a stand-in that loads the real module on the first call.
 */
export const lazyGlob: Plugin = {
  name: 'lazy-glob',
  setup(b) {
    b.onResolve({ filter: /^glob$/ }, (args) =>
      args.namespace === 'file' && args.importer.includes('@fastify/static')
        ? { path: 'glob', namespace: 'lazy-glob', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-glob' }, (args) => ({
      contents: "let real;\nexports.glob = (...a) => (real ??= require('glob')).glob(...a);\n",
      resolveDir: args.pluginData as string,
      loader: 'js',
    }));
  },
};

/** esbuild's options for bundling `entry` (a .ts file) into `outfile`. */
export function serverBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'warning',
    plugins: [httpViaRequire, lazyGlob],
  };
}

/**
 * The entry that starts a bundle (`./<bundle file name>`). The cache lives in the system's
 * temporary folder (Node's default): a stale or missing cache is only slower, never wrong (Node
 * checks it against the source).
 */
export function compileCacheEntry(bundleFile: string): string {
  return [
    "import { enableCompileCache } from 'node:module';",
    'enableCompileCache();',
    `await import('./${bundleFile}');`,
    '',
  ].join('\n');
}
