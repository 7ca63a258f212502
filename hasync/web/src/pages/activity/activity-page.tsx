import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { AuditEntry } from '../../api/types.ts';
import { EmptyState, ErrorMessage, Loading } from '../../components/feedback.tsx';
import { dateTime } from '../../components/format.ts';
import { useApi } from '../../hooks/use-api.ts';

const PAGE_SIZE = 25;

/** The audit log, newest first, a page at a time. */
export function ActivityPage() {
  const first = useApi(() => api.audit(PAGE_SIZE));
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
      const page = await api.audit(PAGE_SIZE, last.id);
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
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {first.error && <ErrorMessage message={first.error} onRetry={first.reload} />}
      {!first.data && first.loading && <Loading label="Loading activity…" />}
      {first.data && entries.length === 0 && (
        <EmptyState title="Nothing has happened yet">
          <p>Pairings, changes to devices and revocations will show up here.</p>
        </EmptyState>
      )}
      {entries.length > 0 && (
        <ul className="card list" aria-label="Activity">
          {entries.map((entry) => (
            <li key={entry.id} className="row">
              <span className="row-main">
                <span className="row-title">{describe(entry)}</span>
                <span className="row-sub">
                  <time dateTime={entry.at}>{dateTime(entry.at)}</time> · by {entry.actor}
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
    </section>
  );
}

/** "Device updated: Kitchen tablet" from an audit entry. */
function describe(entry: AuditEntry): string {
  const action = entry.action.replaceAll('_', ' ').replaceAll('.', ' ');
  const label = action.charAt(0).toUpperCase() + action.slice(1);
  const name = entry.detail.name;
  const subject = typeof name === 'string' ? name : (entry.device_id ?? entry.pairing_id);
  return subject ? `${label}: ${subject}` : label;
}
