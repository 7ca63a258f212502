import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ForeignBinaries, packForeignBinaries } from './foreign-binaries.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/verify-arch.mjs', import.meta.url));
const WRAPPER = fileURLToPath(new URL('../../scripts/verify-arch', import.meta.url));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function verifyArch(...args: string[]): Run {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of `from` at `dir/rel`, creating folders on the way. */
function plant(from: string, dir: string, rel: string): string {
  const to = join(dir, rel);
  mkdirSync(join(to, '..'), { recursive: true });
  copyFileSync(from, to);
  return to;
}

describe('verify-arch', () => {
  let work: string;
  let bin: ForeignBinaries;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'hasync-verify-arch-'));
    bin = packForeignBinaries(join(work, 'packs'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('accepts the x86-64 build of esbuild for amd64 and the arm64 build for aarch64', () => {
    const amd = verifyArch('--target', 'amd64', bin.x64);
    assert.equal(amd.status, 0, amd.stderr);
    assert.equal(amd.stdout, '');
    const arm = verifyArch('--target', 'aarch64', bin.arm64);
    assert.equal(arm.status, 0, arm.stderr);
    assert.equal(arm.stdout, '');
  });

  test('rejects the arm64 build for an amd64 target and names the file and its machine', () => {
    const run = verifyArch('--target', 'amd64', bin.arm64);
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      new RegExp(`^${bin.arm64}: ELF AArch64 64-bit, target amd64 needs x86-64`),
    );
  });

  test('rejects the x86-64 build for an aarch64 target', () => {
    const run = verifyArch('--target', 'aarch64', bin.x64);
    assert.equal(run.status, 1);
    assert.match(run.stdout, new RegExp(`^${bin.x64}: ELF x86-64 64-bit`));
  });

  test('finds a foreign binary deep in a tree of scripts and names only the offenders', () => {
    const tree = join(work, 'tree');
    mkdirSync(join(tree, 'web', 'assets'), { recursive: true });
    writeFileSync(join(tree, 'web', 'assets', 'app.js'), 'export {};\n');
    writeFileSync(join(tree, 'server.mjs'), '#!/usr/bin/env node\n');
    plant(bin.x64, tree, 'tools/native-x64');
    const addon = plant(bin.arm64, tree, 'node_modules/better-sqlite3/build/Release/addon.node');
    const hidden = plant(bin.arm64, tree, 'migrations/.cache/helper');
    const run = verifyArch('--target', 'amd64', tree);
    assert.equal(run.status, 1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(':')[0]);
    assert.deepEqual(lines.sort(), [hidden, addon].sort());
    assert.match(run.stderr, /5 files checked for amd64; 2 for another architecture/);
  });

  test('rejects a .node addon that is not a Linux ELF object at all', () => {
    const dir = join(work, 'macos-addon');
    mkdirSync(dir);
    // Mach-O 64-bit magic, as a prebuilt macOS addon starts.
    writeFileSync(
      join(dir, 'fsevents.node'),
      Buffer.from('cffaedfe0c000001000000000000000000000000', 'hex'),
    );
    const run = verifyArch('--target', 'aarch64', dir);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /fsevents\.node: native addon that is not an ELF object/);
  });

  test('rejects a 32-bit ELF of the right machine family by its class', () => {
    const dir = join(work, 'class32');
    mkdirSync(dir);
    const header = Buffer.from(readFileSync(bin.x64).subarray(0, 64));
    header[4] = 1; // ELFCLASS32
    writeFileSync(join(dir, 'lib32.so'), header);
    const run = verifyArch('--target', 'amd64', dir);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /lib32\.so: ELF x86-64 32-bit, target amd64 needs x86-64 64-bit/);
  });

  test('accepts the Docker spelling arm64 for aarch64 and works through the shell wrapper', () => {
    const run = spawnSync(WRAPPER, ['--target', 'arm64', bin.arm64], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH}` },
    });
    assert.equal(run.status, 0, run.stderr);
  });

  test('exits 2 with a usage message on bad usage', () => {
    for (const args of [
      [bin.x64],
      ['--target', 'mips', bin.x64],
      ['--target', 'amd64'],
      ['--target', 'amd64', join(work, 'does-not-exist')],
    ]) {
      const run = verifyArch(...args);
      assert.equal(run.status, 2, `args ${args.join(' ')}`);
      assert.match(run.stderr, /usage: verify-arch --target amd64\|aarch64/);
    }
  });
});
