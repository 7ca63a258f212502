import type { Schedule } from '../protocol/household-rules.ts';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../protocol/wall-display.ts';
import type { Db } from './db.ts';

/**
 * A paired device with its scope rule and household rules (design §5b), as stored. Times are
 * epoch milliseconds, except `expires_at`: ISO 8601 (UTC) as the admin API carries it. The action
 * PIN's hash never leaves the store in a record: `has_action_pin` says whether there is one.
 */
export interface DeviceRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly read_only: boolean;
  readonly created_at: number;
  readonly last_seen_at: number | null;
  readonly areas: string[];
  readonly entities: string[];
  readonly excluded: string[];
  readonly floors: string[];
  readonly labels: string[];
  readonly domains: string[];
  readonly view_only: string[];
  readonly view_only_domains: string[];
  readonly expires_at: string | null;
  readonly schedule: Schedule;
  readonly has_action_pin: boolean;
  readonly pin_domains: string[];
  /** The household dashboard the frontend shows (a url_path, `lovelace` = Overview); null: generated. */
  readonly dashboard: string | null;
  /** Wall-display settings the kiosk applies (screensaver, dim schedule). */
  readonly display: DisplaySettings;
}

/** A new device: its name, type and first scope, plus the SHA-256 of its token; no other rules. */
export type NewDevice = Pick<
  DeviceRecord,
  'id' | 'name' | 'type' | 'read_only' | 'created_at' | 'areas' | 'entities' | 'excluded'
> & { readonly token_hash: string };

/** Fields an admin may change; lists replace the stored ones; null clears a value. */
export interface DevicePatch {
  readonly name?: string;
  readonly read_only?: boolean;
  readonly areas?: readonly string[];
  readonly entities?: readonly string[];
  readonly excluded?: readonly string[];
  readonly floors?: readonly string[];
  readonly labels?: readonly string[];
  readonly domains?: readonly string[];
  readonly view_only?: readonly string[];
  readonly view_only_domains?: readonly string[];
  readonly expires_at?: string | null;
  readonly schedule?: Schedule;
  /** The hash of the action PIN (never the PIN itself); null removes the PIN. */
  readonly action_pin_hash?: string | null;
  readonly pin_domains?: readonly string[];
  readonly dashboard?: string | null;
  /** Replaces the stored wall-display settings. */
  readonly display?: DisplaySettings;
}

/** Household rules kept as one column each: JSON text for lists and the schedule. */
const RULE_LISTS = [
  'floors',
  'labels',
  'domains',
  'view_only',
  'view_only_domains',
  'pin_domains',
] as const;
type RuleList = (typeof RULE_LISTS)[number];

type DeviceRow = {
  id: string;
  name: string;
  type: string;
  read_only: number;
  created_at: number;
  last_seen_at: number | null;
  expires_at: string | null;
  schedule: string | null;
  has_pin: number;
  dashboard: string | null;
  display: string | null;
} & Record<RuleList, string>;

interface ScopeRow {
  device_id: string;
  value: string;
  kind: 'area' | 'include' | 'exclude';
}

const DEVICE_COLUMNS = `id, name, type, read_only, created_at, last_seen_at, ${RULE_LISTS.join(', ')},
  expires_at, schedule, action_pin_hash IS NOT NULL AS has_pin, dashboard, display`;
const SELECT_DEVICE = `SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`;
const SELECT_DEVICES = `SELECT ${DEVICE_COLUMNS} FROM devices ORDER BY created_at, id`;
const SELECT_BY_TOKEN = `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = ?`;
const COUNT_DEVICES = 'SELECT count(*) AS n FROM devices';
const INSERT_DEVICE =
  'INSERT INTO devices (id, name, type, token_hash, read_only, created_at) VALUES (?, ?, ?, ?, ?, ?)';
const DELETE_DEVICE = 'DELETE FROM devices WHERE id = ?';
const TOUCH_DEVICE = 'UPDATE devices SET last_seen_at = ? WHERE id = ?';
const UPDATE_NAME = 'UPDATE devices SET name = ? WHERE id = ?';
const UPDATE_READ_ONLY = 'UPDATE devices SET read_only = ? WHERE id = ?';
const UPDATE_EXPIRES_AT = 'UPDATE devices SET expires_at = ? WHERE id = ?';
const UPDATE_SCHEDULE = 'UPDATE devices SET schedule = ? WHERE id = ?';
const UPDATE_DASHBOARD = 'UPDATE devices SET dashboard = ? WHERE id = ?';
const UPDATE_DISPLAY = 'UPDATE devices SET display = ? WHERE id = ?';
const UPDATE_ACTION_PIN = 'UPDATE devices SET action_pin_hash = ? WHERE id = ?';
const SELECT_ACTION_PIN = 'SELECT action_pin_hash AS hash FROM devices WHERE id = ?';
const updateList = (column: RuleList) => `UPDATE devices SET ${column} = ? WHERE id = ?`;
const INSERT_AREA = 'INSERT OR IGNORE INTO device_areas (device_id, area_id) VALUES (?, ?)';
const DELETE_AREAS = 'DELETE FROM device_areas WHERE device_id = ?';
const INSERT_ENTITY =
  'INSERT OR REPLACE INTO device_entities (device_id, entity_id, mode) VALUES (?, ?, ?)';
const DELETE_ENTITIES = 'DELETE FROM device_entities WHERE device_id = ? AND mode = ?';
const SCOPE_UNION = `
  SELECT device_id, area_id AS value, 'area' AS kind FROM device_areas WHERE $filter
  UNION ALL
  SELECT device_id, entity_id AS value, mode AS kind FROM device_entities WHERE $filter
  ORDER BY device_id, value`;
const SELECT_SCOPE = SCOPE_UNION.replaceAll('$filter', 'device_id = ?');
const SELECT_ALL_SCOPES = SCOPE_UNION.replaceAll('$filter', '1');

/**
 * Devices with their areas and included/excluded entities. Writes that span several statements
 * (insert, update) must run inside `db.transaction` — the caller's, so that an audit entry or a
 * pairing update commits together with them.
 */
export class DeviceStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(device: NewDevice): void {
    this.#db.run(
      INSERT_DEVICE,
      device.id,
      device.name,
      device.type,
      device.token_hash,
      device.read_only ? 1 : 0,
      device.created_at,
    );
    this.#replaceAreas(device.id, device.areas);
    this.#replaceEntities(device.id, 'include', device.entities);
    this.#replaceEntities(device.id, 'exclude', device.excluded);
  }

  get(id: string): DeviceRecord | undefined {
    const row = this.#db.get<DeviceRow>(SELECT_DEVICE, id);
    return row ? withScope(row, this.#db.all<ScopeRow>(SELECT_SCOPE, id, id)) : undefined;
  }

  /** The device whose token hashes to `tokenHash`; undefined once it is revoked. */
  findByTokenHash(tokenHash: string): DeviceRecord | undefined {
    const row = this.#db.get<DeviceRow>(SELECT_BY_TOKEN, tokenHash);
    return row ? withScope(row, this.#db.all<ScopeRow>(SELECT_SCOPE, row.id, row.id)) : undefined;
  }

  list(): DeviceRecord[] {
    const scopes = Map.groupBy(this.#db.all<ScopeRow>(SELECT_ALL_SCOPES), (r) => r.device_id);
    return this.#db
      .all<DeviceRow>(SELECT_DEVICES)
      .map((row) => withScope(row, scopes.get(row.id) ?? []));
  }

  count(): number {
    return this.#db.get<{ n: number }>(COUNT_DEVICES)?.n ?? 0;
  }

  /** Applies the given fields; returns false if the device does not exist. */
  update(id: string, patch: DevicePatch): boolean {
    if (!this.#db.get<DeviceRow>(SELECT_DEVICE, id)) return false;
    if (patch.name !== undefined) this.#db.run(UPDATE_NAME, patch.name, id);
    if (patch.read_only !== undefined) this.#db.run(UPDATE_READ_ONLY, patch.read_only ? 1 : 0, id);
    if (patch.areas) this.#replaceAreas(id, patch.areas);
    if (patch.entities) this.#replaceEntities(id, 'include', patch.entities);
    if (patch.excluded) this.#replaceEntities(id, 'exclude', patch.excluded);
    for (const column of RULE_LISTS) {
      const list = patch[column];
      if (list) this.#db.run(updateList(column), JSON.stringify([...new Set(list)]), id);
    }
    if (patch.expires_at !== undefined) this.#db.run(UPDATE_EXPIRES_AT, patch.expires_at, id);
    if (patch.schedule !== undefined) {
      const schedule = patch.schedule === null ? null : JSON.stringify(patch.schedule);
      this.#db.run(UPDATE_SCHEDULE, schedule, id);
    }
    if (patch.action_pin_hash !== undefined)
      this.#db.run(UPDATE_ACTION_PIN, patch.action_pin_hash, id);
    if (patch.dashboard !== undefined) this.#db.run(UPDATE_DASHBOARD, patch.dashboard, id);
    if (patch.display !== undefined)
      this.#db.run(UPDATE_DISPLAY, JSON.stringify(patch.display), id);
    return true;
  }

  /** The stored hash of the device's action PIN; undefined without one (or without the device). */
  actionPinHash(id: string): string | undefined {
    return this.#db.get<{ hash: string | null }>(SELECT_ACTION_PIN, id)?.hash ?? undefined;
  }

  /** Deletes the device (its token dies with the row); false if it did not exist. */
  delete(id: string): boolean {
    return this.#db.run(DELETE_DEVICE, id).changes > 0;
  }

  touch(id: string, at: number): void {
    this.#db.run(TOUCH_DEVICE, at, id);
  }

  #replaceAreas(id: string, areas: readonly string[]): void {
    this.#db.run(DELETE_AREAS, id);
    for (const area of areas) this.#db.run(INSERT_AREA, id, area);
  }

  #replaceEntities(id: string, mode: 'include' | 'exclude', entityIds: readonly string[]): void {
    this.#db.run(DELETE_ENTITIES, id, mode);
    for (const entityId of entityIds) this.#db.run(INSERT_ENTITY, id, entityId, mode);
  }
}

function withScope(row: DeviceRow, scope: readonly ScopeRow[]): DeviceRecord {
  const pick = (kind: ScopeRow['kind']) => scope.filter((r) => r.kind === kind).map((r) => r.value);
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    read_only: row.read_only === 1,
    created_at: row.created_at,
    last_seen_at: row.last_seen_at,
    areas: pick('area'),
    entities: pick('include'),
    excluded: pick('exclude'),
    floors: list(row.floors),
    labels: list(row.labels),
    domains: list(row.domains),
    view_only: list(row.view_only),
    view_only_domains: list(row.view_only_domains),
    expires_at: row.expires_at,
    schedule: row.schedule === null ? null : (JSON.parse(row.schedule) as Schedule),
    has_action_pin: row.has_pin === 1,
    pin_domains: list(row.pin_domains),
    dashboard: row.dashboard,
    display: row.display === null ? DEFAULT_DISPLAY : (JSON.parse(row.display) as DisplaySettings),
  };
}

function list(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
