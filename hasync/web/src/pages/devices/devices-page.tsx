import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Device } from '../../api/types.ts';
import { EmptyState, ErrorMessage, Loading, OnlineDot } from '../../components/feedback.tsx';
import { scopeSummary, timeAgo } from '../../components/format.ts';
import { useApi } from '../../hooks/use-api.ts';
import { useNow } from '../../hooks/use-now.ts';
import { routeHref } from '../../hooks/use-route.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';
import { BulkRevoke } from './bulk-revoke.tsx';
import { hasSameName, sameNames } from './same-names.ts';

/** Paired devices, kept live by the event stream; select several to revoke them at once. */
export function DevicesPage() {
  const devices = useApi(() => api.devices());
  const now = useNow(15_000);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  useServerEvents((event) => {
    if (event.name !== 'upstream' && event.name !== 'pairing_expired') devices.reload();
  });
  const list = devices.data ?? [];
  const selected = list.filter((device) => picked.has(device.id));
  const shared = sameNames(list);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };
  return (
    <section aria-labelledby="devices-title">
      <div className="page-head">
        <h2 id="devices-title">Devices</h2>
        <a className="button button-primary" href={routeHref({ page: 'pair' })}>
          Pair a device
        </a>
      </div>
      {devices.error && <ErrorMessage message={devices.error} onRetry={devices.reload} />}
      {shared.length > 0 && <SameNameWarning names={shared} />}
      <BulkRevoke
        selected={selected}
        onClear={() => setPicked(new Set())}
        onDone={() => {
          setPicked(new Set());
          devices.reload();
        }}
      />
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
            <DeviceRow
              key={device.id}
              device={device}
              now={now}
              sameName={hasSameName(device, shared)}
              picked={picked.has(device.id)}
              onPick={(on) => toggle(device.id, on)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function SameNameWarning({ names }: { names: readonly string[] }) {
  const quoted = names.map((name) => `“${name}”`).join(', ');
  return (
    <div className="banner banner-warning" role="status">
      <p className="banner-title">
        {names.length === 1 ? 'Two devices have the same name' : 'Some devices share a name'}
      </p>
      <p>
        More than one device is called {quoted}. Rename one so you can tell them apart here and in
        Activity.
      </p>
    </div>
  );
}

interface DeviceRowProps {
  device: Device;
  now: number;
  sameName: boolean;
  picked: boolean;
  onPick: (on: boolean) => void;
}

function DeviceRow({ device, now, sameName, picked, onPick }: DeviceRowProps) {
  return (
    <li className={picked ? 'row row-picked' : 'row'}>
      <input
        type="checkbox"
        checked={picked}
        aria-label={`Select ${device.name}`}
        onChange={(event) => onPick(event.target.checked)}
      />
      <OnlineDot online={device.online} />
      <a className="row-main" href={routeHref({ page: 'device', id: device.id })}>
        <span className="row-title">{device.name}</span>
        <span className="row-sub">
          {device.type} · {scopeSummary(device)}
          {device.read_only ? ' · read-only' : ''}
        </span>
        {sameName && <span className="same-name">Same name as another device</span>}
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
