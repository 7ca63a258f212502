import { api } from '../../api/client.ts';
import { useApi } from '../../hooks/use-api.ts';

interface Choice {
  id: string;
  name: string;
  gone: boolean;
}

/**
 * The devices to filter by: those paired now, and those the log names that were revoked
 * (from the device entries of the last few hundred events).
 */
async function choices(): Promise<Choice[]> {
  const [devices, recent] = await Promise.all([api.devices(), api.audit(500)]);
  const list: Choice[] = devices.map((d) => ({ id: d.id, name: d.name, gone: false }));
  for (const entry of recent) {
    if (entry.device_id && !list.some((c) => c.id === entry.device_id)) {
      list.push({ id: entry.device_id, name: entry.device_name ?? entry.device_id, gone: true });
    }
  }
  return list.sort((a, b) => Number(a.gone) - Number(b.gone) || a.name.localeCompare(b.name));
}

/** "All devices" or one device, revoked ones included. */
export function DeviceFilter({
  value,
  onChange,
}: {
  value: string;
  onChange: (id: string) => void;
}) {
  const options = useApi(choices);
  return (
    <label className="filter">
      <span>Device</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All devices</option>
        {(options.data ?? []).map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.gone ? `${choice.name} (revoked)` : choice.name}
          </option>
        ))}
      </select>
    </label>
  );
}
