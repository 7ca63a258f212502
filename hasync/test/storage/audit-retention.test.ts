import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../../src/shared/logger.ts';
import { AuditRetention } from '../../src/storage/audit-retention.ts';
import { AuditStore } from '../../src/storage/audit-store.ts';
import { Db } from '../../src/storage/db.ts';
import { tempDir } from '../helpers/tmp.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const temp = tempDir();
after(() => temp.cleanup());

test('pruning drops entries older than the retention and all but the newest max rows', async () => {
  const db = Db.open(join(temp.dir, 'audit.db'));
  const audit = new AuditStore(db);
  const now = 1_000 * DAY_MS;
  const add = (at: number) =>
    audit.append({ at, actor: 'admin', action: 'device_renamed', detail: {} });
  for (let i = 0; i < 5; i++) add(now - 100 * DAY_MS); // too old
  for (let i = 0; i < 1500; i++) add(now - DAY_MS + i); // recent, but too many
  const retention = new AuditRetention({
    log: createLogger('error'),
    clock: { now: () => now },
    audit,
    config: { auditRetentionDays: 90, auditMaxRows: 1000 },
  });
  await retention.start();
  await retention.stop();
  const rows = audit.page(5000);
  assert.equal(rows.length, 1000);
  assert.equal(rows[0]?.at, now - DAY_MS + 1499, 'the newest stay');
  assert.ok(rows.every((row) => row.at >= now - 90 * DAY_MS));
  db.close();
});
