import type { FastifyInstance } from 'fastify';
import type { HomeView } from '../../cache/home-view.ts';
import { domainOf } from '../../protocol/home-assistant.ts';
import { areaOfEntity, resolveScope } from '../../scope/resolve-scope.ts';

export interface HomeRoutesDeps {
  readonly home: HomeView;
}

const AREAS_SCHEMA = {
  summary: "Home Assistant's areas with the number of entities in each",
  tags: ['home'],
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['area_id', 'name', 'entity_count'],
        properties: {
          area_id: { type: 'string' },
          name: { type: 'string' },
          entity_count: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** `GET /api/floors` or `GET /api/labels`: each with the entities its selector reaches. */
function selectorSchema(kind: 'floor' | 'label') {
  const id = `${kind}_id`;
  return {
    summary:
      kind === 'floor'
        ? "Home Assistant's floors with the number of entities in their areas"
        : "Home Assistant's labels with the number of entities they reach (own, device's or area's label)",
    tags: ['home'],
    response: {
      200: {
        type: 'array',
        items: {
          type: 'object',
          required: [id, 'name', 'entity_count'],
          properties: {
            [id]: { type: 'string' },
            name: { type: 'string' },
            entity_count: { type: 'integer' },
          },
        },
      },
    },
  } as const;
}

const ENTITIES_SCHEMA = {
  summary: 'Entities, filtered by area, domain and a search text (id or name, any case)',
  tags: ['home'],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      area: { type: 'string', minLength: 1, maxLength: 255 },
      domain: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' },
      q: { type: 'string', maxLength: 100 },
    },
  },
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['entity_id', 'name', 'domain', 'area_id', 'state'],
        properties: {
          entity_id: { type: 'string' },
          name: { type: 'string' },
          domain: { type: 'string' },
          area_id: { type: ['string', 'null'] },
          state: { type: 'string' },
          unit_of_measurement: { type: 'string' },
        },
      },
    },
  },
} as const;

interface EntityQuery {
  area?: string;
  domain?: string;
  q?: string;
}

/** The name a person sees: the friendly name, else the registry's, else the id. */
function displayName(home: HomeView, entityId: string): string {
  const friendly = home.state(entityId)?.attributes.friendly_name;
  if (typeof friendly === 'string' && friendly) return friendly;
  const entry = home.entityEntries().get(entityId);
  return entry?.name ?? entry?.original_name ?? entityId;
}

function listEntities(home: HomeView, query: EntityQuery) {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const result = [];
  for (const [entityId, state] of home.states()) {
    const domain = domainOf(entityId);
    if (query.domain !== undefined && domain !== query.domain) continue;
    const areaId = areaOfEntity(home, entityId) ?? null;
    if (query.area !== undefined && areaId !== query.area) continue;
    const name = displayName(home, entityId);
    if (needle && !`${entityId}\n${name}`.toLowerCase().includes(needle)) continue;
    const unit = state.attributes.unit_of_measurement;
    result.push({
      ...{ entity_id: entityId, name, domain, area_id: areaId, state: state.state },
      ...(typeof unit === 'string' && unit ? { unit_of_measurement: unit } : {}),
    });
  }
  return result.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
}

function listAreas(home: HomeView) {
  const counts = new Map<string, number>();
  for (const entityId of home.states().keys()) {
    const areaId = areaOfEntity(home, entityId);
    if (areaId !== undefined) counts.set(areaId, (counts.get(areaId) ?? 0) + 1);
  }
  return [...home.areas().values()]
    .map((area) => ({
      area_id: area.area_id,
      name: area.name,
      entity_count: counts.get(area.area_id) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const NO_RULE = { areas: [], entities: [], excluded: [] } as const;

/** Floors as the floor selector sees them: the count is what selecting the floor reaches. */
function listFloors(home: HomeView) {
  return [...home.floors().values()]
    .map((floor) => ({
      floor_id: floor.floor_id,
      name: floor.name,
      entity_count: resolveScope({ ...NO_RULE, floors: [floor.floor_id] }, home).size,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Labels as the label selector sees them: labelled entities, devices and areas. */
function listLabels(home: HomeView) {
  return [...home.labels().values()]
    .map((label) => ({
      label_id: label.label_id,
      name: label.name,
      entity_count: resolveScope({ ...NO_RULE, labels: [label.label_id] }, home).size,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `GET /api/areas`, `/api/floors`, `/api/labels` and `/api/entities`, read from the upstream cache. */
export function homeRoutes(app: FastifyInstance, { home }: HomeRoutesDeps): void {
  app.get('/api/areas', { schema: AREAS_SCHEMA }, async () => listAreas(home));
  app.get('/api/floors', { schema: selectorSchema('floor') }, async () => listFloors(home));
  app.get('/api/labels', { schema: selectorSchema('label') }, async () => listLabels(home));
  app.get<{ Querystring: EntityQuery }>('/api/entities', { schema: ENTITIES_SCHEMA }, async (req) =>
    listEntities(home, req.query),
  );
}
