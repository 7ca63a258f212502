import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { AuditEntry } from '../../api/types.ts';
import { EmptyState, ErrorMessage, Loading } from '../../components/feedback.tsx';
import { dateTime } from '../../components/format.ts';
import { useApi } from '../../hooks/use-api.ts';
import { actorLabel, describe, type Names } from './describe.ts';
import { DeviceFilter } from './device-filter.tsx';

const PAGE_SIZE = 25;

/** The audit log in words, newest first, a page at a time; optionally one device's only. */
export function ActivityPage() {
  const [device, setDevice] = useState('');
  const areas = useApi(() => api.areas());
  const names: Names = {
    areas: new Map((areas.data ?? []).map((area) => [area.area_id, area.name])),
  };
  return (
    <section aria-labelledby="activity-title">
      <div className="page-head">
        <h2 id="activity-title">Activity</h2>
        <DeviceFilter value={device} onChange={setDevice} />
      </div>
      <ActivityList key={device} device={device || undefined} names={names} />
    </section>
  );
}

function ActivityList({ device, names }: { device: string | undefined; names: Names }) {
  const first = useApi(() => api.audit(PAGE_SIZE, undefined, device));
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const entries = [...(first.data ?? []), ...older];
  const loadOlder = async () => {
    const last = entries.at(-1);
    if (!last) return;
    setBusy(true);
    try {
      const page = await api.audit(PAGE_SIZE, last.id, device);
      setOlder((previous) => [...previous, ...page]);
      setMore(page.length === PAGE_SIZE);
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {first.error && <ErrorMessage message={first.error} onRetry={first.reload} />}
      {!first.data && first.loading && <Loading label="Loading activity…" />}
      {first.data && entries.length === 0 && (
        <EmptyState
          title={device ? 'Nothing recorded for this device' : 'Nothing has happened yet'}
        >
          <p>
            Pairings, changes to devices, doors unlocked or alarms disarmed from a device, refused
            calls and revocations will show up here.
          </p>
        </EmptyState>
      )}
      {entries.length > 0 && (
        <ul className="card list" aria-label="Activity">
          {entries.map((entry) => (
            <li key={entry.id} className={entryClass(entry)}>
              <span className="row-main">
                <span className="row-title">{describe(entry, names)}</span>
                <span className="row-sub">
                  <time dateTime={entry.at}>{dateTime(entry.at)}</time> · by {actorLabel(entry)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorMessage message={error} />}
      {first.data && (first.data.length === PAGE_SIZE || older.length > 0) && more && (
        <div className="actions">
          <button type="button" className="button" onClick={() => void loadOlder()} disabled={busy}>
            {busy ? 'Loading…' : 'Show older'}
          </button>
        </div>
      )}
    </>
  );
}

function entryClass(entry: AuditEntry): string {
  if (entry.action.startsWith('service_call')) return 'row row-refused';
  if (entry.action.startsWith('sensitive_call')) return 'row row-sensitive';
  return 'row';
}
