import { api } from '../../api/client.ts';
import type { Device } from '../../api/types.ts';
import { EmptyState, ErrorMessage, Loading, OnlineDot } from '../../components/feedback.tsx';
import { scopeSummary, timeAgo } from '../../components/format.ts';
import { useApi } from '../../hooks/use-api.ts';
import { useNow } from '../../hooks/use-now.ts';
import { routeHref } from '../../hooks/use-route.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';

/** Paired devices, kept live by the event stream. */
export function DevicesPage() {
  const devices = useApi(() => api.devices());
  const now = useNow(15_000);
  useServerEvents((event) => {
    if (event.name !== 'upstream' && event.name !== 'pairing_expired') devices.reload();
  });
  return (
    <section aria-labelledby="devices-title">
      <div className="page-head">
        <h2 id="devices-title">Devices</h2>
        <a className="button button-primary" href={routeHref({ page: 'pair' })}>
          Pair a device
        </a>
      </div>
      {devices.error && <ErrorMessage message={devices.error} onRetry={devices.reload} />}
      {devices.data === undefined ? (
        devices.loading && <Loading label="Loading devices…" />
      ) : devices.data.length === 0 ? (
        <EmptyState title="No devices yet">
          <p>Pair a wall tablet, kiosk, phone or TV app to give it a scoped view of your home.</p>
          <a className="button button-primary" href={routeHref({ page: 'pair' })}>
            Pair your first device
          </a>
        </EmptyState>
      ) : (
        <ul className="card list" aria-label="Paired devices">
          {devices.data.map((device) => (
            <DeviceRow key={device.id} device={device} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DeviceRow({ device, now }: { device: Device; now: number }) {
  return (
    <li className="row">
      <OnlineDot online={device.online} />
      <a className="row-main" href={routeHref({ page: 'device', id: device.id })}>
        <span className="row-title">{device.name}</span>
        <span className="row-sub">
          {device.type} · {scopeSummary(device)}
          {device.read_only ? ' · read-only' : ''}
        </span>
      </a>
      <span className="row-meta">
        {device.online
          ? 'Online'
          : device.last_seen_at === null
            ? 'Not connected yet'
            : `Seen ${timeAgo(device.last_seen_at, now)}`}
      </span>
    </li>
  );
}
