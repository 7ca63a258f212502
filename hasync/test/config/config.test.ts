import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { HasyncError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers/tmp.ts';

function configError(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ env });
  } catch (err) {
    assert.ok(err instanceof HasyncError);
    assert.equal(err.code, 'config_invalid');
    return err.message.split('\n');
  }
  assert.fail('expected loadConfig to refuse the configuration');
}

describe('mode detection', () => {
  test('runs in demo mode when neither a Supervisor token nor a Home Assistant URL is set', () => {
    const config = loadConfig({ env: {} });
    assert.equal(config.mode, 'demo');
    assert.equal(config.haUrl, undefined);
    assert.equal(config.dbPath, join('data', 'hasync.db'));
    assert.equal(config.adminBind, '127.0.0.1');
    assert.equal(config.deviceBind, '0.0.0.0');
  });

  test('runs in standalone mode against the given URL and long-lived token', () => {
    const config = loadConfig({
      env: { HASYNC_HA_URL: 'http://ha.local:8123', HASYNC_HA_TOKEN: 'abc' },
    });
    assert.equal(config.mode, 'standalone');
    assert.equal(config.haUrl, 'http://ha.local:8123');
    assert.equal(config.haToken, 'abc');
  });

  test('refuses standalone mode with only half of URL and token', () => {
    const lines = configError({ HASYNC_HA_URL: 'http://ha.local:8123' });
    assert.match(lines.join('\n'), /HASYNC_HA_URL and HASYNC_HA_TOKEN/);
  });

  test('runs in app mode against the Supervisor proxy with its token and /data', () => {
    const config = loadConfig({
      env: { SUPERVISOR_TOKEN: 'sup', HASYNC_DATA_DIR: '/nonexistent' },
    });
    assert.equal(config.mode, 'app');
    assert.equal(config.haUrl, 'http://supervisor/core');
    assert.equal(config.haToken, 'sup');
    assert.equal(config.adminBind, '0.0.0.0');
    assert.equal(loadConfig({ env: { SUPERVISOR_TOKEN: 'x' } }).dataDir, '/data');
  });
});

describe('precedence', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  test('uses defaults when nothing is set', () => {
    const config = loadConfig({ env: {} });
    assert.equal(config.logLevel, 'info');
    assert.equal(config.pinTtlS, 300);
    assert.equal(config.maxDevices, 50);
    assert.equal(config.adminPort, 8099);
    assert.equal(config.devicePort, 8100);
    assert.equal(config.adminToken, undefined);
  });

  test('environment variables override defaults', () => {
    const config = loadConfig({
      env: { HASYNC_PIN_TTL_S: '120', HASYNC_LOG_LEVEL: 'debug', HASYNC_DEVICE_PORT: '9100' },
    });
    assert.equal(config.pinTtlS, 120);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.devicePort, 9100);
  });

  test('options.json overrides environment variables in app mode', () => {
    writeFileSync(
      join(dir, 'options.json'),
      JSON.stringify({ log_level: 'warning', pin_ttl_s: 600, max_devices: 7 }),
    );
    const config = loadConfig({
      env: {
        SUPERVISOR_TOKEN: 't',
        HASYNC_DATA_DIR: dir,
        HASYNC_PIN_TTL_S: '120',
        HASYNC_LOG_LEVEL: 'debug',
      },
    });
    assert.equal(config.logLevel, 'warning');
    assert.equal(config.pinTtlS, 600);
    assert.equal(config.maxDevices, 7);
    assert.equal(config.dbPath, join(dir, 'hasync.db'));
  });

  test('options.json is ignored outside app mode', () => {
    writeFileSync(join(dir, 'options.json'), JSON.stringify({ pin_ttl_s: 600 }));
    assert.equal(loadConfig({ env: { HASYNC_DATA_DIR: dir } }).pinTtlS, 300);
  });

  test('an empty optional admin_token in options.json counts as unset', () => {
    writeFileSync(join(dir, 'options.json'), JSON.stringify({ admin_token: '' }));
    const config = loadConfig({ env: { SUPERVISOR_TOKEN: 't', HASYNC_DATA_DIR: dir } });
    assert.equal(config.adminToken, undefined);
  });

  test('the configuration is frozen', () => {
    const config = loadConfig({ env: {} });
    assert.ok(Object.isFrozen(config));
  });
});

describe('validation', () => {
  test('reports every bad value at once, one line each, naming the key', () => {
    const lines = configError({
      HASYNC_LOG_LEVEL: 'loud',
      HASYNC_PIN_TTL_S: '30',
      HASYNC_MAX_DEVICES: 'many',
      HASYNC_ADMIN_PORT: '70000',
    });
    assert.equal(lines.length, 4);
    assert.match(
      lines[0] ?? '',
      /^HASYNC_LOG_LEVEL must be one of trace, debug, info, warning, error/,
    );
    assert.match(
      lines[1] ?? '',
      /^HASYNC_PIN_TTL_S must be a whole number from 60 to 3600, got "30"/,
    );
    assert.match(lines[2] ?? '', /^HASYNC_MAX_DEVICES must be a whole number/);
    assert.match(lines[3] ?? '', /^HASYNC_ADMIN_PORT must be a whole number from 0 to 65535/);
  });

  test('names the options.json key for a bad app option', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'options.json'), JSON.stringify({ pin_ttl_s: '5 minutes' }));
      const lines = configError({ SUPERVISOR_TOKEN: 't', HASYNC_DATA_DIR: dir });
      assert.deepEqual(lines, [
        'pin_ttl_s (options.json) must be a whole number from 60 to 3600, got "5 minutes"',
      ]);
    } finally {
      cleanup();
    }
  });

  test('refuses an options.json that is not JSON', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'options.json'), '{ not json');
      assert.throws(
        () => loadConfig({ env: { SUPERVISOR_TOKEN: 't', HASYNC_DATA_DIR: dir } }),
        /options.json is not valid JSON/,
      );
    } finally {
      cleanup();
    }
  });

  test('refuses a fractional number where a whole number is needed', () => {
    assert.match(configError({ HASYNC_MAX_DEVICES: '2.5' }).join(), /HASYNC_MAX_DEVICES/);
  });

  test('refuses an admin listener beyond loopback without an admin token', () => {
    const lines = configError({ HASYNC_ADMIN_BIND: '0.0.0.0' });
    assert.match(lines.join(), /HASYNC_ADMIN_BIND beyond loopback needs HASYNC_ADMIN_TOKEN/);
    const config = loadConfig({
      env: { HASYNC_ADMIN_BIND: '0.0.0.0', HASYNC_ADMIN_TOKEN: 'a-long-enough-admin-token' },
    });
    assert.equal(config.adminBind, '0.0.0.0');
  });

  test('never echoes a secret in a validation message', () => {
    const lines = configError({ HASYNC_ADMIN_TOKEN: 'short-secret' });
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0] ?? '', /short-secret/);
    assert.match(lines[0] ?? '', /^HASYNC_ADMIN_TOKEN/);
  });

  test('refuses a Home Assistant URL that is not http(s) or ws(s)', () => {
    const lines = configError({ HASYNC_HA_URL: 'ftp://ha', HASYNC_HA_TOKEN: 't' });
    assert.match(lines.join(), /HASYNC_HA_URL must be an http\(s\) or ws\(s\) URL/);
  });
});
