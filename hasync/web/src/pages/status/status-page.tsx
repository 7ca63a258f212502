import { useEffect } from 'react';
import { api } from '../../api/client.ts';
import type { LinkState } from '../../api/types.ts';
import { ErrorMessage, Loading } from '../../components/feedback.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';

/** While storage is in trouble, health is asked again this often to show when it is fixed. */
const HEALTH_RECHECK_MS = 10_000;

const LINK_TEXT: Record<LinkState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Disconnected',
  demo: 'Demo home (simulated)',
};

/** Home Assistant connection, versions and counts. */
export function StatusPage() {
  const status = useApi(() => api.status());
  const health = useApi(() => api.health());
  useServerEvents((event) => {
    if (event.name === 'upstream' || event.name.startsWith('device_')) {
      status.reload();
      health.reload();
    }
  });
  const storageProblem = health.data?.db === 'error' ? (health.data.reason ?? 'unknown') : null;
  const reloadHealth = health.reload;
  useEffect(() => {
    if (!storageProblem) return;
    const timer = setInterval(reloadHealth, HEALTH_RECHECK_MS);
    return () => clearInterval(timer);
  }, [storageProblem, reloadHealth]);
  const s = status.data;
  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      {storageProblem && (
        <ErrorMessage message={`Storage problem: ${storageProblem}`} onRetry={health.reload} />
      )}
      {status.error && <ErrorMessage message={status.error} onRetry={status.reload} />}
      {!s && status.loading && <Loading label="Loading status…" />}
      {s && (
        <dl className="card stats">
          <div>
            <dt>Home Assistant</dt>
            <dd>
              <span className={`badge badge-${s.homeassistant}`}>{LINK_TEXT[s.homeassistant]}</span>
            </dd>
          </div>
          <div>
            <dt>Home Assistant version</dt>
            <dd>{s.ha_version ?? 'unknown'}</dd>
          </div>
          <div>
            <dt>Entities</dt>
            <dd>{s.entity_count}</dd>
          </div>
          <div>
            <dt>Devices</dt>
            <dd>
              {s.devices.total} paired, {s.devices.online} online
            </dd>
          </div>
          <div>
            <dt>HAsync version</dt>
            <dd>{health.data?.version ?? '…'}</dd>
          </div>
          <div>
            <dt>Last upstream error</dt>
            <dd>{s.last_error ?? 'none'}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
