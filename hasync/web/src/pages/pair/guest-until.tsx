import { useState } from 'react';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DDTHH:MM` on this browser's clock, as a datetime-local input holds it. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Tomorrow at the next full hour: a sensible first end date for a guest. */
function tomorrow(): string {
  const d = new Date(Date.now() + DAY_MS);
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  return localInput(d.getTime());
}

export interface GuestUntilProps {
  /** The end date as ISO 8601 in UTC, or undefined: not a guest. */
  onChange: (expiresAt: string | undefined) => void;
}

/**
 * "Guest: until <date and time>" on the pair screen: the paired device gets this end date, after
 * which it can no longer connect until an admin extends it on its device page.
 */
export function GuestUntil({ onChange }: GuestUntilProps) {
  const [guest, setGuest] = useState(false);
  const [value, setValue] = useState(tomorrow);
  const report = (on: boolean, local: string) =>
    onChange(on && local ? new Date(local).toISOString() : undefined);
  return (
    <fieldset className="guest-until">
      <legend>A guest’s device (optional)</legend>
      <div className="inline-form">
        <label className="switch">
          <input
            type="checkbox"
            checked={guest}
            onChange={(event) => {
              setGuest(event.target.checked);
              report(event.target.checked, value);
            }}
          />
          Guest: until
        </label>
        <input
          type="datetime-local"
          aria-label="Guest until"
          value={value}
          min={localInput(Date.now())}
          disabled={!guest}
          onChange={(event) => {
            setValue(event.target.value);
            report(guest, event.target.value);
          }}
        />
      </div>
      <p className="muted">
        After this the device can no longer connect; you can extend it on its page.
      </p>
    </fieldset>
  );
}
