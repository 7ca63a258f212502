import type { Publisher } from './publisher.ts';

/** A dashboard's entry as `lovelace/dashboards/list` gives it (HA: lovelace/dashboard.py). */
export interface DashboardEntry {
  readonly id: string;
  readonly url_path: string;
  readonly title: string;
  readonly icon: string | null;
  readonly mode: 'storage';
  readonly require_admin: boolean;
  readonly show_in_sidebar: boolean;
}

/** The demo's wall tablet dashboard: the kitchen, the office and the whole-house cards mixed. */
const WALL_CONFIG = {
  title: 'Wall',
  views: [
    {
      title: 'Kitchen',
      path: 'kitchen',
      badges: ['sensor.kitchen_temperature', 'sensor.office_co2'],
      cards: [
        { type: 'tile', entity: 'light.kitchen_ceiling' },
        {
          type: 'entities',
          title: 'Lights',
          entities: ['light.kitchen_under_cabinet', { entity: 'light.office_ceiling' }],
        },
        {
          type: 'vertical-stack',
          cards: [
            { type: 'gauge', entity: 'sensor.kitchen_humidity' },
            { type: 'thermostat', entity: 'climate.living_room' },
          ],
        },
        { type: 'markdown', content: 'Front door: {{ states("lock.front_door") }}' },
      ],
    },
    { title: 'Office', path: 'office', cards: [{ type: 'tile', entity: 'light.office_ceiling' }] },
  ],
};

/**
 * Home Assistant's stored dashboards (lovelace/dashboard.py DashboardsCollection, storage mode):
 * the default one has nothing saved; `dashboard-wall` is seeded. Saving fires `lovelace_updated`
 * as LovelaceStorage.async_save does.
 */
export class DemoDashboards {
  readonly #publisher: Publisher;
  readonly #entries: DashboardEntry[] = [
    {
      id: 'dashboard_wall',
      url_path: 'dashboard-wall',
      title: 'Wall',
      icon: 'mdi:tablet-dashboard',
      mode: 'storage',
      require_admin: false,
      show_in_sidebar: true,
    },
  ];
  readonly #configs = new Map<string | null, unknown>([['dashboard-wall', WALL_CONFIG]]);

  constructor(publisher: Publisher) {
    this.#publisher = publisher;
  }

  list(): DashboardEntry[] {
    return [...this.#entries];
  }

  /** Whether a dashboard with that url_path exists (null: the default one always does). */
  has(urlPath: string | null): boolean {
    return urlPath === null || this.#entries.some((e) => e.url_path === urlPath);
  }

  /** The saved config; undefined when nothing is saved. */
  config(urlPath: string | null): unknown {
    return structuredClone(this.#configs.get(urlPath));
  }

  /** HA: lovelace/dashboard.py LovelaceStorage.async_save. */
  save(urlPath: string | null, config: unknown): void {
    this.#configs.set(urlPath, structuredClone(config));
    this.#publisher.fireEvent('lovelace_updated', { url_path: urlPath });
  }
}
