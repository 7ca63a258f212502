import { useState } from 'react';
import type {
  Area,
  DevicePatch,
  DeviceWithScope,
  Entity,
  Floor,
  Label,
  ScheduleWindow,
  Weekday,
} from '../../api/types.ts';
import { dateTime, plural } from '../../components/format.ts';
import { useNow } from '../../hooks/use-now.ts';
import { AreaChecklist } from '../pair/area-checklist.tsx';

interface HouseholdRulesProps {
  device: DeviceWithScope;
  floors: Floor[];
  labels: Label[];
  entities: Entity[];
  save: (patch: DevicePatch) => Promise<void>;
}

const DAYS: [Weekday, string][] = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
];
/** Domains whose entities a PIN usually guards. */
const PIN_SUGGESTED = ['lock', 'alarm_control_panel', 'cover'];

/** "3 days", "5 hours", "12 minutes": how long until an end date. */
function until(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}

/** Domains of Home Assistant's entities with how many each has, as checklist entries. */
function domainEntries(entities: Entity[]): Area[] {
  const counts = new Map<string, number>();
  for (const entity of entities) counts.set(entity.domain, (counts.get(entity.domain) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, count]) => ({ area_id: domain, name: domain, entity_count: count }));
}

/** More selectors (floors, labels, domains), whole domains it may only see, when and the PIN. */
export function HouseholdRules({ device, floors, labels, entities, save }: HouseholdRulesProps) {
  const domains = domainEntries(entities);
  const seen = domains.filter((d) => device.scope.some((id) => id.startsWith(`${d.area_id}.`)));
  const asEntries = (list: (Floor | Label)[]) =>
    list.map((item) => ({
      area_id: 'floor_id' in item ? item.floor_id : item.label_id,
      name: item.name,
      entity_count: item.entity_count,
    }));
  return (
    <div className="card">
      <h3>Household rules</h3>
      {floors.length > 0 && (
        <PendingChecklist
          areas={asEntries(floors)}
          selected={device.floors}
          onChange={(selected) => save({ floors: selected })}
          legend="Whole floors"
        />
      )}
      {labels.length > 0 && (
        <PendingChecklist
          areas={asEntries(labels)}
          selected={device.labels}
          onChange={(selected) => save({ labels: selected })}
          legend="Everything with a label"
        />
      )}
      <PendingChecklist
        areas={domains}
        selected={device.domains}
        onChange={(selected) => save({ domains: selected })}
        legend="Every entity of a kind"
      />
      {seen.length > 0 && (
        <PendingChecklist
          areas={seen}
          selected={device.view_only_domains}
          onChange={(selected) => save({ view_only_domains: selected })}
          legend="Can see but not control"
        />
      )}
      <EndDate device={device} save={save} />
      <Hours device={device} save={save} />
      <ActionPin device={device} domains={domains} save={save} />
    </div>
  );
}

function EndDate({ device, save }: Pick<HouseholdRulesProps, 'device' | 'save'>) {
  const now = useNow(30_000);
  const [value, setValue] = useState('');
  const ends = device.expires_at ? Date.parse(device.expires_at) : undefined;
  return (
    <div>
      <h4>End date</h4>
      {ends === undefined ? (
        <p className="muted">Works until you revoke it.</p>
      ) : (
        <p role="status">
          {ends <= now
            ? `Ended ${dateTime(device.expires_at ?? '')}: it cannot connect until you extend it.`
            : `Ends ${dateTime(device.expires_at ?? '')} (in ${until(ends - now)}).`}
        </p>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (value) void save({ expires_at: new Date(value).toISOString() });
        }}
      >
        <input
          type="datetime-local"
          aria-label="End date and time"
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button">
          Set end date
        </button>
        {ends !== undefined && (
          <button
            type="button"
            className="button button-text"
            onClick={() => void save({ expires_at: null })}
          >
            No end date
          </button>
        )}
      </form>
    </div>
  );
}

function describe(window: ScheduleWindow): string {
  const days = DAYS.filter(([day]) => window.days.includes(day)).map(([, name]) => name);
  return `${days.join(', ')} ${window.from}–${window.to}`;
}

function Hours({ device, save }: Pick<HouseholdRulesProps, 'device' | 'save'>) {
  const [days, setDays] = useState<Weekday[]>(['mon', 'tue', 'wed', 'thu', 'fri']);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const windows = device.schedule ?? [];
  const setWindows = (next: ScheduleWindow[]) =>
    void save({ schedule: next.length === 0 ? null : next });
  return (
    <div>
      <h4>Hours (Home Assistant's time zone)</h4>
      {windows.length === 0 ? (
        <p className="muted">Any time.</p>
      ) : (
        <ul className="chips" aria-label="Hours">
          {windows.map((window, index) => (
            <li key={describe(window)} className="chip">
              {describe(window)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${describe(window)}`}
                onClick={() => setWindows(windows.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="checklist">
        <legend>Days</legend>
        {DAYS.map(([day, name]) => (
          <label key={day} className="check">
            <input
              type="checkbox"
              checked={days.includes(day)}
              onChange={(event) =>
                setDays(event.target.checked ? [...days, day] : days.filter((d) => d !== day))
              }
            />
            <span className="check-label">{name}</span>
          </label>
        ))}
      </fieldset>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (days.length > 0) setWindows([...windows, { days, from, to }]);
        }}
      >
        <input
          type="time"
          aria-label="From"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input type="time" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="submit" className="button">
          Add hours
        </button>
      </form>
    </div>
  );
}

function ActionPin({
  device,
  domains,
  save,
}: Pick<HouseholdRulesProps, 'device' | 'save'> & { domains: Area[] }) {
  const [pin, setPin] = useState('');
  const choices = domains.filter(
    (d) => PIN_SUGGESTED.includes(d.area_id) || device.pin_domains.includes(d.area_id),
  );
  return (
    <div>
      <h4>Action PIN</h4>
      <p className="muted">
        {device.has_action_pin
          ? 'A PIN is set. The device asks for it before these actions.'
          : 'No PIN. Set one to protect doors, alarms or covers.'}
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save({ action_pin: pin }).then(() => setPin(''));
        }}
      >
        <input
          type="password"
          inputMode="numeric"
          pattern="[0-9]{4,8}"
          autoComplete="off"
          aria-label="Action PIN (4 to 8 digits)"
          value={pin}
          onChange={(event) => setPin(event.target.value)}
        />
        <button type="submit" className="button">
          {device.has_action_pin ? 'Change PIN' : 'Set PIN'}
        </button>
        {device.has_action_pin && (
          <button
            type="button"
            className="button button-text"
            onClick={() => void save({ action_pin: null })}
          >
            Remove PIN
          </button>
        )}
      </form>
      {choices.length > 0 && (
        <PendingChecklist
          areas={choices}
          selected={device.pin_domains}
          onChange={(selected) => save({ pin_domains: selected })}
          legend="Needs the PIN"
        />
      )}
    </div>
  );
}

/** A checklist whose ticks show at once while their save is under way (then the saved device's). */
function PendingChecklist(props: {
  areas: Area[];
  selected: string[];
  onChange: (selected: string[]) => Promise<void> | undefined;
  legend: string;
}) {
  const [pending, setPending] = useState<string[] | undefined>();
  return (
    <AreaChecklist
      areas={props.areas}
      legend={props.legend}
      selected={pending ?? props.selected}
      onChange={(selected) => {
        setPending(selected);
        void Promise.resolve(props.onChange(selected)).finally(() => setPending(undefined));
      }}
    />
  );
}
