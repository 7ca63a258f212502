import { api } from '../../api/client.ts';
import type { DevicePatch, DeviceWithScope } from '../../api/types.ts';
import { useApi } from '../../hooks/use-api.ts';

interface DashboardChoiceProps {
  device: DeviceWithScope;
  save: (patch: DevicePatch) => Promise<void>;
}

/** Which dashboard the device's Home Assistant frontend shows: generated, or a household one. */
export function DashboardChoice({ device, save }: DashboardChoiceProps) {
  const dashboards = useApi(api.dashboards);
  const options = dashboards.data ?? [];
  const known = device.dashboard === null || options.some((d) => d.url_path === device.dashboard);
  return (
    <div className="inline-form">
      <label htmlFor="device-dashboard">Dashboard</label>
      <select
        id="device-dashboard"
        value={device.dashboard ?? ''}
        onChange={(event) => void save({ dashboard: event.target.value || null })}
      >
        <option value="">Generated from what it may see</option>
        {options.map((d) => (
          <option key={d.url_path} value={d.url_path}>
            {d.title} — only the cards it may see
          </option>
        ))}
        {!known && device.dashboard !== null && (
          <option value={device.dashboard}>{device.dashboard}</option>
        )}
      </select>
      {dashboards.error && (
        <span className="muted">Dashboards unavailable: {dashboards.error}</span>
      )}
    </div>
  );
}
