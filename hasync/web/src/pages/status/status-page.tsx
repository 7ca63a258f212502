import { api } from '../../api/client.ts';
import type { LinkState } from '../../api/types.ts';
import { ErrorMessage, Loading } from '../../components/feedback.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { useHealth } from '../../hooks/use-health.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';

const LINK_TEXT: Record<LinkState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Disconnected',
  demo: 'Demo home (simulated)',
};

/**
 * Home Assistant connection, storage, versions and counts. A storage problem's reason is in the
 * banner above every screen (components/storage-banner.tsx); here it is one line of the summary.
 */
export function StatusPage() {
  const status = useApi(() => api.status());
  const { health, problem } = useHealth();
  useServerEvents((event) => {
    if (event.name === 'upstream' || event.name.startsWith('device_')) status.reload();
  });
  const s = status.data;
  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
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
            <dt>Storage</dt>
            <dd>
              {!health && '…'}
              {health && (
                <span className={problem ? 'badge badge-disconnected' : 'badge badge-connected'}>
                  {problem ? 'Cannot save (see above)' : 'OK'}
                </span>
              )}
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
            <dd>{health?.version ?? '…'}</dd>
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
