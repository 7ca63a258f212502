import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HasyncError } from '../shared/errors.ts';
import type { LogLevel } from '../shared/logger.ts';
import { SETTINGS, type Setting, type SettingName } from './options-schema.ts';

export type Mode = 'app' | 'standalone' | 'demo';

/** The validated, frozen configuration every module receives. */
export interface Config {
  readonly mode: Mode;
  readonly logLevel: LogLevel;
  readonly pinTtlS: number;
  readonly maxDevices: number;
  readonly auditRetentionDays: number;
  readonly auditMaxRows: number;
  /** HASYNC_CONNECTIONS_PER_CLIENT: the per-client HTTP connection cap of both listeners. */
  readonly connectionsPerClient: number;
  readonly adminToken: string | undefined;
  readonly adminPort: number;
  readonly devicePort: number;
  readonly adminBind: string;
  readonly deviceBind: string;
  readonly dataDir: string;
  readonly dbPath: string;
  /** Home Assistant's base URL (http/https); unset in demo mode. */
  readonly haUrl: string | undefined;
  readonly haToken: string | undefined;
  /**
   * Base URL of Home Assistant's own HTTP server, whose frontend files the device port serves;
   * unset in demo mode. App mode: `http://homeassistant:8123` (the Supervisor's proxy at
   * http://supervisor/core forwards only /api), standalone: HASYNC_HA_URL.
   */
  readonly haFrontendUrl: string | undefined;
  /** HASYNC_PUBLIC_URL: the device port as devices on the network reach it (see DeviceAddress). */
  readonly publicUrl: string | undefined;
}

type Raw = Partial<Record<SettingName, unknown>>;

const SUPERVISOR_URL = 'http://supervisor/core';
/** Home Assistant Core's own web server on the Supervisor's internal network (default port). */
const APP_FRONTEND_URL = 'http://homeassistant:8123';

function defaults(mode: Mode): Record<SettingName, unknown> {
  const app = mode === 'app';
  return {
    logLevel: 'info',
    pinTtlS: 300,
    maxDevices: 50,
    auditRetentionDays: 90,
    auditMaxRows: 100_000,
    connectionsPerClient: 32,
    adminToken: undefined,
    adminPort: 8099,
    devicePort: 8100,
    adminBind: app ? '0.0.0.0' : '127.0.0.1',
    deviceBind: '0.0.0.0',
    dataDir: app ? '/data' : './data',
    haUrl: undefined,
    haToken: undefined,
    haFrontendUrl: undefined,
    publicUrl: undefined,
  };
}

function detectMode(env: NodeJS.ProcessEnv): Mode {
  if (env.SUPERVISOR_TOKEN) return 'app';
  if (env.HASYNC_HA_URL || env.HASYNC_HA_TOKEN) return 'standalone';
  return 'demo';
}

function readOptionsFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new HasyncError('config_invalid', `cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HasyncError('config_invalid', `${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HasyncError('config_invalid', `${path} must hold a JSON object`);
  }
  const raw: Raw = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, { option?: string }][]) {
    const value = spec.option ? (parsed as Record<string, unknown>)[spec.option] : undefined;
    if (value !== undefined && value !== null && value !== '') raw[name] = value;
  }
  return raw;
}

function readEnv(env: NodeJS.ProcessEnv): Raw {
  const raw: Raw = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, { env: string }][]) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  return raw;
}

/** Returns the parsed value, or a problem description. Environment values arrive as strings. */
function coerce(setting: Setting, value: unknown): { value: unknown } | { problem: string } {
  switch (setting.kind) {
    case 'enum':
      return typeof value === 'string' && setting.values.includes(value)
        ? { value }
        : { problem: `must be one of ${setting.values.join(', ')}` };
    case 'int': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n) && n >= setting.min && n <= setting.max
        ? { value: n }
        : { problem: `must be a whole number from ${setting.min} to ${setting.max}` };
    }
    case 'string':
      return typeof value === 'string' && value.length >= setting.minLength
        ? { value }
        : { problem: `must be text of at least ${setting.minLength} characters` };
    case 'url':
      return typeof value === 'string' && URL.canParse(value) && /^(https?|wss?):/.test(value)
        ? { value }
        : { problem: 'must be an http(s) or ws(s) URL' };
  }
}

export function isLoopback(address: string): boolean {
  return (
    address === 'localhost' ||
    address === '::1' ||
    address.startsWith('127.') ||
    address.startsWith('::ffff:127.')
  );
}

function describe(value: unknown, name: SettingName): string {
  if (name === 'adminToken' || name === 'haToken') return '';
  return `, got ${JSON.stringify(value)}`;
}

export interface LoadConfigInput {
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Reads /data/options.json (app mode), then HASYNC_* environment variables, then defaults, and
 * validates everything at once. Throws a HasyncError('config_invalid') whose message has one
 * line per problem, each naming the key.
 */
export function loadConfig({ env }: LoadConfigInput): Config {
  const mode = detectMode(env);
  const base = defaults(mode);
  const fromEnv = readEnv(env);
  const dataDir = String(fromEnv.dataDir ?? base.dataDir);
  const fromFile = mode === 'app' ? readOptionsFile(join(dataDir, 'options.json')) : {};
  const problems: string[] = [];
  const values = { ...base } as Record<SettingName, unknown>;

  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec: { option?: string; env: string; setting: Setting } = SETTINGS[name];
    const source = name in fromFile ? 'file' : name in fromEnv ? 'env' : undefined;
    if (!source) continue;
    const value = source === 'file' ? fromFile[name] : fromEnv[name];
    const result = coerce(spec.setting, value);
    if ('problem' in result) {
      const key = source === 'file' ? `${spec.option} (options.json)` : spec.env;
      problems.push(`${key} ${result.problem}${describe(value, name)}`);
    } else {
      values[name] = result.value;
    }
  }

  if (mode === 'standalone' && (!values.haUrl || !values.haToken)) {
    problems.push('HASYNC_HA_URL and HASYNC_HA_TOKEN must be set together for standalone mode');
  }
  if (mode !== 'app' && !isLoopback(String(values.adminBind)) && !values.adminToken) {
    problems.push('HASYNC_ADMIN_BIND beyond loopback needs HASYNC_ADMIN_TOKEN (admin_token) set');
  }
  if (problems.length > 0) {
    throw new HasyncError('config_invalid', problems.join('\n'), { details: { problems } });
  }

  const haUrl = mode === 'app' ? SUPERVISOR_URL : (values.haUrl as string | undefined);
  const haToken = mode === 'app' ? env.SUPERVISOR_TOKEN : (values.haToken as string | undefined);
  const haFrontendUrl =
    mode === 'demo'
      ? undefined
      : frontendBase(values.haFrontendUrl, mode === 'app' ? APP_FRONTEND_URL : haUrl);
  return Object.freeze({
    mode,
    logLevel: values.logLevel as LogLevel,
    pinTtlS: values.pinTtlS as number,
    maxDevices: values.maxDevices as number,
    auditRetentionDays: values.auditRetentionDays as number,
    auditMaxRows: values.auditMaxRows as number,
    connectionsPerClient: values.connectionsPerClient as number,
    adminToken: values.adminToken as string | undefined,
    adminPort: values.adminPort as number,
    devicePort: values.devicePort as number,
    adminBind: values.adminBind as string,
    deviceBind: values.deviceBind as string,
    dataDir,
    dbPath: join(dataDir, 'hasync.db'),
    haUrl,
    haToken,
    haFrontendUrl,
    publicUrl: values.publicUrl as string | undefined,
  });
}

/** An http(s) base URL without a trailing slash (a ws(s) URL is read as its http(s) twin). */
function frontendBase(configured: unknown, fallback: string | undefined): string | undefined {
  const url = typeof configured === 'string' ? configured : fallback;
  return url?.replace(/^ws/, 'http').replace(/\/+$/, '');
}
