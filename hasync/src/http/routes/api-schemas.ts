/** JSON-schema pieces shared by the admin and pairing routes. */

/** A device or pairing id in a path. */
export const ID_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } },
} as const;

/** A display name: 1–100 characters, not only blanks. */
export const NAME = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

export const AREA_IDS = {
  type: 'array',
  maxItems: 1000,
  items: { type: 'string', minLength: 1, maxLength: 255 },
} as const;

export const ENTITY_IDS = {
  type: 'array',
  maxItems: 10000,
  items: { type: 'string', pattern: '^[a-z0-9_]+\\.[a-z0-9_]+$', maxLength: 255 },
} as const;

/** An end date as the admin writes it: ISO 8601 with seconds optional and a zone (Z or ±HH:MM). */
export const ISO_WITH_ZONE =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

/** ISO 8601 time, or null when it never happened. */
export const TIME = { type: 'string', format: 'date-time' } as const;
export const OPTIONAL_TIME = { type: ['string', 'null'], format: 'date-time' } as const;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}
