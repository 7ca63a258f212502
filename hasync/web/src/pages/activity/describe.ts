import type { AuditEntry } from '../../api/types.ts';

/** Names the page can put on ids: areas by id (Home Assistant's registry). */
export interface Names {
  readonly areas: ReadonlyMap<string, string>;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** "Kitchen tablet", or a short id for a device the log never named. */
export function deviceLabel(entry: AuditEntry): string {
  return (
    entry.device_name ?? (entry.device_id ? `device ${entry.device_id.slice(0, 8)}` : 'a device')
  );
}

/** "added area Kitchen, removed entity light.hall" from a rule before and after. */
function scopeDiff(detail: Record<string, unknown>, names: Names): string[] {
  const from = (detail.from ?? {}) as Record<string, unknown>;
  const to = (detail.to ?? {}) as Record<string, unknown>;
  const words: Record<string, readonly [string, string, (id: string) => string]> = {
    areas: ['added area', 'removed area', (id) => names.areas.get(id) ?? id],
    entities: ['added entity', 'removed entity', (id) => id],
    excluded: ['excluded', 'no longer excluded', (id) => id],
  };
  return Object.entries(words).flatMap(([key, [added, removed, name]]) => {
    const before = strings(from[key]);
    const after = strings(to[key]);
    return [
      ...after.filter((id) => !before.includes(id)).map((id) => `${added} ${name(id)}`),
      ...before.filter((id) => !after.includes(id)).map((id) => `${removed} ${name(id)}`),
    ];
  });
}

/** What changed, in words: the server's own words when it wrote them, else worked out here. */
function changes(entry: AuditEntry, names: Names): string {
  const written = strings(entry.detail.changes);
  const list = written.length > 0 ? written : scopeDiff(entry.detail, names);
  return list.length > 0 ? list.join(', ') : 'what it can see changed';
}

function refusal(entry: AuditEntry): string {
  const { domain, service, reason } = entry.detail;
  const call = text(domain) && text(service) ? `${domain}.${service}` : 'a service';
  const why = text(reason);
  return `${deviceLabel(entry)} tried ${call} and was refused${why ? `: ${why}` : ''}`;
}

/** One audit entry as a sentence a household reads. */
export function describe(entry: AuditEntry, names: Names): string {
  const device = deviceLabel(entry);
  const d = entry.detail;
  switch (entry.action) {
    case 'pairing_created':
      return text(d.name) ? `Started pairing “${d.name}”` : 'Started pairing a new device';
    case 'pairing_cancelled':
      return 'Cancelled a pairing';
    case 'pairing_expired':
      return 'A pairing expired unused';
    case 'pairing_completed':
      return `${device} paired${text(d.type) && d.type !== 'other' ? ` (${d.type})` : ''}`;
    case 'pairing_failed':
      return d.reason === 'max_devices'
        ? 'A device could not pair: the device limit is reached'
        : `Wrong ${String(d.reason).replace('wrong_', '') === 'code' ? 'QR code' : 'PIN'} entered`;
    case 'pairing_burned':
      return 'A PIN was disabled after too many wrong tries (its QR code still works)';
    case 'device_renamed':
      return `${text(d.from) ?? 'A device'} renamed to ${text(d.to) ?? device}`;
    case 'device_read_only_changed':
      return d.read_only ? `${device} is now read-only` : `${device} can control things again`;
    case 'device_rescoped':
    case 'device_rules_changed':
    case 'device_display_changed':
      return `${device}: ${changes(entry, names)}`;
    case 'device_action_sent': {
      const what = d.action === 'identify' ? 'Identify' : 'Reload page';
      const screens = typeof d.delivered === 'number' ? d.delivered : 0;
      return `Sent “${what}” to ${device} (${screens} screen${screens === 1 ? '' : 's'})`;
    }
    case 'sensitive_call':
      return `${device} ${text(d.words) ?? 'did something sensitive'}`;
    case 'sensitive_calls_summary':
      return `${device}: ${text(d.summary) ?? 'more sensitive calls'}`;
    case 'device_expired':
      return `${device} expired: it stops working until its end date is extended`;
    case 'device_revoked':
      return `${device} was revoked`;
    case 'service_call_denied':
      return refusal(entry);
    case 'service_calls_denied_summary':
      return `${device}: ${text(d.summary) ?? 'more refused calls'}`;
    default: {
      const action = entry.action.replaceAll('_', ' ');
      return `${action.charAt(0).toUpperCase()}${action.slice(1)}: ${device}`;
    }
  }
}

/** Who did it: the admin's name, "the device itself", or "HAsync". */
export function actorLabel(entry: AuditEntry): string {
  if (entry.actor.startsWith('device')) return 'the device';
  if (entry.actor === 'system') return 'HAsync';
  // Outside ingress there is no Home Assistant user: whoever opened the admin UI on this machine.
  if (entry.actor === 'local') return 'the admin';
  return entry.actor;
}
