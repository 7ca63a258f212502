import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url);

/** The esbuild version the lock file pins, so the packed binaries are the ones we really use. */
function esbuildVersion(): string {
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages['node_modules/esbuild']?.version;
  if (!version) throw new Error('package-lock.json does not pin esbuild');
  return version;
}

/** Real prebuilt binaries for both architectures, unpacked under `dir`. */
export interface ForeignBinaries {
  /** esbuild's x86-64 Linux executable. */
  readonly x64: string;
  /** esbuild's AArch64 Linux executable. */
  readonly arm64: string;
}

/**
 * Fetches the x64 and arm64 builds of esbuild from the npm registry with `npm pack` (npm's
 * cache makes repeats cheap) and unpacks them: real ELF files as shipped, not hand-made headers.
 */
export function packForeignBinaries(dir: string): ForeignBinaries {
  const version = esbuildVersion();
  const paths: Record<string, string> = {};
  for (const arch of ['x64', 'arm64']) {
    const name = `@esbuild/linux-${arch}`;
    const into = join(dir, arch);
    mkdirSync(into, { recursive: true });
    execFileSync('npm', ['pack', '--silent', '--pack-destination', into, `${name}@${version}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execFileSync('tar', ['-xzf', join(into, `esbuild-linux-${arch}-${version}.tgz`), '-C', into]);
    paths[arch] = join(into, 'package', 'bin', 'esbuild');
  }
  return { x64: String(paths.x64), arm64: String(paths.arm64) };
}
