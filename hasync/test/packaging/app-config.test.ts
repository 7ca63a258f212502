import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.ts';
import { SETTINGS, type Setting } from '../../src/config/options-schema.ts';
import { SNAPSHOT_FILE } from '../../src/storage/snapshot.ts';

const APP = new URL('../../', import.meta.url);

function read(path: string, base: URL = APP): string {
  return readFileSync(new URL(path, base), 'utf8');
}

function yamlFile(path: string, base: URL = APP): Record<string, unknown> {
  return parse(read(path, base)) as Record<string, unknown>;
}

const config = yamlFile('config.yaml');
const pkg = JSON.parse(read('package.json')) as {
  version: string;
  devDependencies: Record<string, string>;
};

/** Top-level keys the Supervisor's app schema knows (a typo would be ignored with a warning). */
const SUPERVISOR_KEYS = new Set(
  (
    'name version slug description url arch machine startup boot init advanced stage ports ' +
    'ports_description ingress ingress_port ingress_entry ingress_stream panel_icon panel_title ' +
    'panel_admin homeassistant host_network host_pid host_ipc host_uts host_dbus devices udev ' +
    'uart usb tmpfs map environment privileged full_access apparmor homeassistant_api ' +
    'hassio_api hassio_role auth_api docker_api gpio video audio stdin options schema image ' +
    'timeout watchdog backup backup_pre backup_post backup_exclude breaking_versions discovery ' +
    'services journald kernel_modules realtime webui ulimits'
  ).split(' '),
);

/** The Supervisor's schema string for one of our settings, e.g. `int(60,3600)`. */
function supervisorType(setting: Setting): string {
  switch (setting.kind) {
    case 'enum':
      return `list(${setting.values.join('|')})`;
    case 'int':
      return `int(${setting.min},${setting.max})`;
    case 'string':
      return 'password';
    case 'url':
      return 'url';
  }
}

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(new URL(path, APP));
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('app package', () => {
  test('config.yaml has the keys design section 8 asks for, with their values', () => {
    assert.deepEqual(config.arch, ['aarch64', 'amd64']);
    assert.equal(config.slug, 'hasync');
    assert.equal(config.init, true);
    assert.equal(config.ingress, true);
    assert.equal(config.ingress_port, 8099);
    assert.deepEqual(config.ports, { '8100/tcp': 8100 });
    assert.equal(typeof (config.ports_description as Record<string, string>)['8100/tcp'], 'string');
    assert.equal(config.homeassistant_api, true);
    // The watchdog asks for liveness only: a full disk is reported by /api/health, not restarted.
    assert.equal(config.watchdog, 'http://[HOST]:[PORT:8099]/api/live');
    assert.equal(config.backup, 'hot', 'a backup never stops HAsync');
    assert.match(String(config.image), /^ghcr\.io\/[a-z0-9-]+\/[a-z0-9-]+$/);
  });

  test('a hot backup carries a consistent snapshot, made and removed by the bundled hook, not the live WAL files', () => {
    // Supervisor (supervisor/addons/validate.py): backup_pre/backup_post are commands run in the
    // app's container; backup_exclude is a list of PurePath.match patterns, matched from the right.
    assert.equal(config.backup_pre, 'node /app/snapshot.mjs take --data /data');
    assert.equal(config.backup_post, 'node /app/snapshot.mjs clean --data /data');
    const excluded = config.backup_exclude as string[];
    const matches = (file: string) => excluded.some((pattern) => pattern === file);
    for (const live of ['hasync.db', 'hasync.db-wal', 'hasync.db-shm']) {
      assert.ok(matches(live), `${live} is left out`);
    }
    assert.ok(!matches(SNAPSHOT_FILE), 'the snapshot is in the backup');
    assert.ok(!matches('options.json'), 'the options are in the backup');
    // The image copies dist/ to /app, and the build writes dist/snapshot.mjs.
    assert.match(read('Dockerfile'), /COPY --from=build \/src\/dist\/ \/app\//);
    assert.match(read('scripts/build.ts'), /snapshot\.mjs/);
  });

  test('config.yaml uses only keys the Supervisor knows and the version of package.json', () => {
    const unknown = Object.keys(config).filter((key) => !SUPERVISOR_KEYS.has(key));
    assert.deepEqual(unknown, []);
    assert.equal(config.version, pkg.version);
    assert.match(String(config.slug), /^[a-z0-9_]+$/);
    for (const key of ['name', 'description', 'url']) assert.ok(config[key], `${key} is set`);
  });

  test('the options and their schema match the settings the server validates', () => {
    const schema = config.schema as Record<string, string>;
    const options = config.options as Record<string, unknown>;
    const defaults = loadConfig({ env: {} });
    const settings = Object.values(SETTINGS).filter((spec) => 'option' in spec);
    assert.deepEqual(Object.keys(schema).sort(), settings.map((s) => s.option).sort());
    for (const spec of settings) {
      const optional = !(spec.option in options);
      assert.equal(schema[spec.option], `${supervisorType(spec.setting)}${optional ? '?' : ''}`);
    }
    assert.deepEqual(options, {
      log_level: defaults.logLevel,
      pin_ttl_s: defaults.pinTtlS,
      max_devices: defaults.maxDevices,
      audit_retention_days: defaults.auditRetentionDays,
      audit_max_rows: defaults.auditMaxRows,
    });
  });

  test('translations name and describe every option and the published port', () => {
    const en = yamlFile('translations/en.yaml') as {
      configuration: Record<string, { name?: string; description?: string }>;
      network: Record<string, string>;
    };
    for (const key of Object.keys(config.schema as object)) {
      assert.ok(en.configuration[key]?.name, `${key} has a name`);
      assert.ok(en.configuration[key]?.description, `${key} has a description`);
    }
    assert.deepEqual(Object.keys(en.network), Object.keys(config.ports as object));
  });

  test('the icon is a 128×128 PNG and the logo a landscape PNG', () => {
    assert.deepEqual(pngSize('icon.png'), { width: 128, height: 128 });
    const logo = pngSize('logo.png');
    assert.ok(logo.width > logo.height && logo.height >= 64);
  });

  test('repository.yaml names the repository, its address and its maintainer', () => {
    const repo = yamlFile('repository.yaml', new URL('../', APP));
    for (const key of ['name', 'url', 'maintainer']) assert.ok(repo[key], `${key} is set`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  test('builds FROM the official Node image of the pinned release, in two stages', () => {
    const base = /^ARG BUILD_FROM=(\S+)$/m.exec(dockerfile)?.[1];
    assert.equal(base, `node:${pkg.devDependencies.node}-bookworm-slim`);
    assert.equal(stages.length, 2);
    assert.match(stages[0] ?? '', /^--platform=\$BUILDPLATFORM \$\{BUILD_FROM\} AS build/);
    assert.match(runtime, /^\$\{BUILD_FROM\}\n/);
    const buildYaml = yamlFile('build.yaml') as { build_from: Record<string, string> };
    assert.deepEqual(buildYaml.build_from, { aarch64: base, amd64: base });
  });

  test('the runtime stage installs and compiles nothing and runs the verification step', () => {
    const runs = runtime.split('\n').filter((line) => line.startsWith('RUN '));
    assert.deepEqual(
      runs.filter((line) => /npm|apt-get|gcc|make|node-gyp/.test(line)),
      [],
    );
    assert.match(
      runtime,
      /^RUN node \/app\/bin\/verify-image\.mjs --target "\$\{TARGETARCH:-\$BUILD_ARCH\}"/m,
    );
    assert.match(runtime, /^COPY --from=build \/src\/dist\/ \/app\/$/m);
    assert.match(runtime, /^HEALTHCHECK [\s\S]*?\/api\/health/m);
    assert.match(runtime, /io\.hass\.type="addon"/);
    assert.match(runtime, /org\.opencontainers\.image\.version="\$\{BUILD_VERSION\}"/);
  });
});
