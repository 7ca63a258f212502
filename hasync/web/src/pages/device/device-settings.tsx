import { type FormEvent, useEffect, useState } from 'react';
import type { DevicePatch, DeviceWithScope } from '../../api/types.ts';
import { OnlineDot } from '../../components/feedback.tsx';
import { dateTime, timeAgo } from '../../components/format.ts';
import { useNow } from '../../hooks/use-now.ts';
import { DashboardChoice } from './dashboard-choice.tsx';

interface DeviceSettingsProps {
  device: DeviceWithScope;
  save: (patch: DevicePatch) => Promise<void>;
}

/** Name, type, presence, the read-only switch and the dashboard its frontend shows. */
export function DeviceSettings({ device, save }: DeviceSettingsProps) {
  const [name, setName] = useState(device.name);
  const now = useNow(15_000);
  useEffect(() => setName(device.name), [device.name]);
  const rename = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed && trimmed !== device.name) void save({ name: trimmed });
  };
  return (
    <div className="card">
      <p className="presence">
        <span className="presence-now">
          <OnlineDot online={device.online} />
          {presence(device, now)}
        </span>
        <span className="muted">
          {device.type} · paired {dateTime(device.created_at)}
        </span>
      </p>
      <form className="inline-form" onSubmit={rename}>
        <label htmlFor="device-name">Name</label>
        <input
          id="device-name"
          value={name}
          maxLength={100}
          required
          onChange={(event) => setName(event.target.value)}
        />
        <button
          type="submit"
          className="button"
          disabled={!name.trim() || name.trim() === device.name}
        >
          Rename
        </button>
      </form>
      <label className="switch">
        <input
          type="checkbox"
          checked={device.read_only}
          onChange={(event) => void save({ read_only: event.target.checked })}
        />
        <span>
          Read-only <span className="muted">— may see states but not control anything</span>
        </span>
      </label>
      <DashboardChoice device={device} save={save} />
    </div>
  );
}

function presence(device: DeviceWithScope, now: number): string {
  if (device.online) return 'Online now';
  if (device.last_seen_at === null) return 'Not connected yet';
  return `Last seen ${timeAgo(device.last_seen_at, now)}`;
}
