#!/usr/bin/env node
/**
 * verify-arch --target amd64|aarch64 PATH…
 *
 * Scans files and directory trees for ELF objects and `.node` addons and checks each one's
 * machine and class against the target. Prints every offending path on stdout and exits 1;
 * exits 0 when everything matches and 2 on bad usage. Plain JavaScript with no dependencies on
 * purpose: it runs at image build time inside the runtime image, where only `node` exists.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** e_machine values and the ELF class (2 = 64-bit) each target must have; data is little-endian. */
const TARGETS = {
  amd64: { machine: 62, bits: 64, label: 'x86-64' },
  aarch64: { machine: 183, bits: 64, label: 'AArch64' },
};
// Docker/Node spell the same targets differently; accept those spellings too.
const ALIASES = { x64: 'amd64', x86_64: 'amd64', arm64: 'aarch64' };

const MACHINE_NAMES = {
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 's390',
  40: 'ARM (32-bit)',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const HEADER_BYTES = 20;

const USAGE = 'usage: verify-arch --target amd64|aarch64 PATH…';

function readHeader(path) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Describes an ELF header, or returns undefined when the bytes are not an ELF object. */
function describeElf(header) {
  if (header.length < HEADER_BYTES || !header.subarray(0, 4).equals(ELF_MAGIC)) return undefined;
  const bits = header[4] === 2 ? 64 : header[4] === 1 ? 32 : 0;
  const littleEndian = header[5] === 1;
  const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
  const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
  return {
    bits,
    littleEndian,
    machine,
    text: `${name} ${bits || '?'}-bit${littleEndian ? '' : ' big-endian'}`,
  };
}

/** Returns why the file does not fit the target, or undefined when it fits or is not a binary. */
function checkFile(path, target) {
  const elf = describeElf(readHeader(path));
  const want = TARGETS[target];
  if (!elf) {
    return path.endsWith('.node')
      ? 'native addon that is not an ELF object for this platform'
      : undefined;
  }
  if (elf.machine === want.machine && elf.bits === want.bits && elf.littleEndian) return undefined;
  return `ELF ${elf.text}, target ${target} needs ${want.label} ${want.bits}-bit`;
}

/** Walks the tree without following symbolic links (a link's target is scanned where it lives). */
function* walk(path) {
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* walk(join(path, entry));
  } else if (stat.isFile()) {
    yield path;
  }
}

/** Checks every file under the given paths; returns the offenders and how many files were read. */
function scan(paths, target) {
  const offenders = [];
  let files = 0;
  for (const root of paths) {
    for (const file of walk(root)) {
      files += 1;
      const problem = checkFile(file, target);
      if (problem) offenders.push({ path: file, problem });
    }
  }
  return { offenders, files };
}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { target: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) return { help: true };
  const target = ALIASES[values.target] ?? values.target;
  if (!target || !Object.hasOwn(TARGETS, target)) {
    throw new Error(
      `--target must be amd64 or aarch64${values.target ? `, got ${values.target}` : ''}`,
    );
  }
  if (positionals.length === 0) throw new Error('give at least one file or directory to scan');
  for (const path of positionals) lstatSync(path);
  return { target, paths: positionals };
}

function main(argv) {
  let args;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`verify-arch: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { offenders, files } = scan(args.paths, args.target);
  for (const { path, problem } of offenders) {
    process.stdout.write(`${path}: ${problem}\n`);
  }
  const verdict =
    offenders.length === 0 ? 'all match' : `${offenders.length} for another architecture`;
  process.stderr.write(`verify-arch: ${files} files checked for ${args.target}; ${verdict}\n`);
  return offenders.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
