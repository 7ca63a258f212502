import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { DevicePatch, DeviceWithScope, DimWindow, DisplayAction } from '../../api/types.ts';
import { plural } from '../../components/format.ts';

interface WallDisplayProps {
  device: DeviceWithScope;
  /** Called with the device as saved. */
  onSaved: (device: DeviceWithScope) => void;
}

/** Saves display settings; a refusal is shown in the card, beside what was changed. */
type SaveDisplay = (display: NonNullable<DevicePatch['display']>) => Promise<void>;

/** Idle times offered for the screensaver, in seconds (0: never). */
const IDLE_CHOICES: [number, string][] = [
  [0, 'Never'],
  [30, 'After 30 seconds'],
  [60, 'After 1 minute'],
  [120, 'After 2 minutes'],
  [300, 'After 5 minutes'],
  [600, 'After 10 minutes'],
  [1800, 'After 30 minutes'],
  [3600, 'After 1 hour'],
];
const MAX_WINDOWS = 8;
const NEW_WINDOW: DimWindow = { from: '22:00', to: '07:00', brightness: 30 };

function idleLabel(seconds: number): string {
  const known = IDLE_CHOICES.find(([s]) => s === seconds);
  if (known) return known[1];
  return seconds % 60 === 0 ? `After ${plural(seconds / 60, 'minute')}` : `After ${seconds} s`;
}

/** The screensaver, the dim schedule and the reload / identify buttons of a wall display. */
export function WallDisplay({ device, onSaved }: WallDisplayProps) {
  const { display } = device;
  const [error, setError] = useState<string>();
  const save: SaveDisplay = async (change) => {
    try {
      onSaved(await api.patchDevice(device.id, { display: change }));
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const choices: [number, string][] = IDLE_CHOICES.some(([s]) => s === display.screensaver_after_s)
    ? IDLE_CHOICES
    : [...IDLE_CHOICES, [display.screensaver_after_s, idleLabel(display.screensaver_after_s)]];
  return (
    <div className="card wall-display">
      <h3>Wall display</h3>
      <p className="muted">
        What the HAsync kiosk on this device does by itself; it applies changes at once.
      </p>
      <label className="field">
        <span>Screensaver (clock on a dimmed screen; a touch wakes it)</span>
        <select
          value={display.screensaver_after_s}
          onChange={(event) => void save({ screensaver_after_s: Number(event.target.value) })}
        >
          {choices.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <DimSchedule saved={display.dim_schedule} save={save} onEdit={() => setError(undefined)} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ScreenActions device={device} />
    </div>
  );
}

interface DimScheduleProps {
  saved: DimWindow[];
  save: SaveDisplay;
  /** The rows changed: an error about the saved attempt no longer applies. */
  onEdit: () => void;
}

function DimSchedule({ saved, save, onEdit }: DimScheduleProps) {
  const [rows, setRowsNow] = useState<DimWindow[]>(saved);
  const setRows = (next: DimWindow[]) => {
    setRowsNow(next);
    onEdit();
  };
  useEffect(() => setRowsNow(saved), [saved]);
  const changed = JSON.stringify(rows) !== JSON.stringify(saved);
  const update = (index: number, change: Partial<DimWindow>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="dim-schedule">
      <legend>Dim schedule (Home Assistant's time zone)</legend>
      {rows.length === 0 && <p className="muted">Full brightness all day.</p>}
      {rows.map((row, index) => (
        // Rows have no identity of their own; the index is what the admin sees as the row.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <fieldset className="dim-row" key={index} aria-label={`Dim period ${index + 1}`}>
          {(['from', 'to'] as const).map((end) => (
            <label key={end}>
              <span>{end === 'from' ? 'From' : 'To'}</span>
              <input
                type="time"
                required
                value={row[end]}
                onChange={(e) => update(index, { [end]: e.target.value })}
              />
            </label>
          ))}
          <label>
            <span>Brightness %</span>
            <input
              type="number"
              min={10}
              max={100}
              step={5}
              required
              value={row.brightness}
              onChange={(e) => update(index, { brightness: Number(e.target.value) })}
            />
          </label>
          <button
            type="button"
            className="button button-text"
            aria-label={`Remove dim period ${index + 1}`}
            onClick={() => setRows(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={rows.length >= MAX_WINDOWS}
          title={rows.length >= MAX_WINDOWS ? `At most ${MAX_WINDOWS} periods` : undefined}
          onClick={() => setRows([...rows, NEW_WINDOW])}
        >
          Add dim period
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!changed}
          onClick={() => void save({ dim_schedule: rows })}
        >
          Save dim schedule
        </button>
      </div>
    </fieldset>
  );
}

function ScreenActions({ device }: { device: DeviceWithScope }) {
  const [busy, setBusy] = useState<DisplayAction>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const send = async (action: DisplayAction) => {
    setBusy(action);
    try {
      const { delivered } = await api.deviceAction(device.id, action);
      const what = action === 'reload' ? 'Reload' : 'Identify';
      setResult({ ok: true, text: `${what} sent to ${plural(delivered, 'screen')}` });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="screen-actions">
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={!device.online || busy !== undefined}
          onClick={() => void send('reload')}
        >
          Reload page
        </button>
        <button
          type="button"
          className="button"
          disabled={!device.online || busy !== undefined}
          onClick={() => void send('identify')}
        >
          Identify
        </button>
      </div>
      {!device.online && (
        <p className="muted hint">
          The device is offline: these buttons work while it has HAsync open.
        </p>
      )}
      {result && (
        <p className={result.ok ? 'hint' : 'hint error-text'} role="status">
          {result.text}
        </p>
      )}
    </div>
  );
}
