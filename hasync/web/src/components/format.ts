/** "just now", "5 min ago", "3 h ago", or a date. */
export function timeAgo(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown';
  const s = Math.round(ms / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** A date and time in the reader's locale. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** "4:59" for a countdown. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** "2 areas, 3 entities, 1 excluded" or "Nothing shared yet". */
export function scopeSummary(device: {
  areas: string[];
  entities: string[];
  excluded: string[];
}): string {
  const parts: string[] = [];
  if (device.areas.length) parts.push(plural(device.areas.length, 'area'));
  if (device.entities.length) parts.push(plural(device.entities.length, 'entity', 'entities'));
  if (device.excluded.length) parts.push(`${device.excluded.length} excluded`);
  return parts.length ? parts.join(', ') : 'Nothing shared yet';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
