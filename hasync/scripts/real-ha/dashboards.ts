/**
 * A household dashboard written into the config directory before Home Assistant starts, as the
 * dashboards panel would store it: a storage-mode dashboard at its own URL path, whose views mix
 * the kitchen with rooms a kitchen-scoped device must not see, and link to each other.
 * HA: homeassistant/components/lovelace/dashboard.py (DASHBOARDS_STORAGE_KEY `lovelace_dashboards`,
 * CONFIG_STORAGE_KEY `lovelace.<id>`, both version 1; a url_path needs a hyphen).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The household dashboard's URL path in Home Assistant, and its storage id. */
export const HOUSEHOLD_DASHBOARD = { url_path: 'dashboard-home', id: 'dashboard_home' } as const;

const navigate = (path: string) => ({ action: 'navigate', navigation_path: path });

/** The dashboard as the household built it (entity ids of the 2024.3.3 demo, areas of seed.ts). */
export const HOUSEHOLD_DASHBOARD_CONFIG = {
  title: 'Our home',
  views: [
    {
      title: 'Kitchen',
      path: 'kitchen',
      badges: ['sensor.carbon_monoxide', 'light.bed_light'],
      cards: [
        { type: 'tile', entity: 'light.kitchen_lights' },
        { type: 'tile', entity: 'light.bed_light' },
        {
          type: 'entities',
          title: 'Around the house',
          entities: [
            'fan.ceiling_fan',
            'light.bed_light',
            { entity: 'cover.kitchen_window' },
            'switch.decorative_lights',
          ],
        },
        { type: 'markdown', content: 'The bed light is {{ states("light.bed_light") }}.' },
        {
          type: 'button',
          name: 'More rooms',
          icon: 'mdi:arrow-right',
          tap_action: navigate(`/${HOUSEHOLD_DASHBOARD.url_path}/more`),
        },
      ],
    },
    {
      title: 'Bedroom',
      path: 'bedroom',
      cards: [
        { type: 'tile', entity: 'light.bed_light' },
        { type: 'entities', entities: ['switch.decorative_lights', 'switch.ac'] },
      ],
    },
    {
      title: 'More',
      path: 'more',
      cards: [
        {
          type: 'glance',
          title: 'At a glance',
          entities: ['cover.kitchen_window', 'light.living_room_rgbww_lights'],
        },
        {
          type: 'button',
          name: 'Back to the kitchen',
          icon: 'mdi:arrow-left',
          tap_action: navigate(`/${HOUSEHOLD_DASHBOARD.url_path}/kitchen`),
        },
      ],
    },
  ],
};

function store(key: string, data: unknown): string {
  return `${JSON.stringify({ version: 1, minor_version: 1, key, data }, null, 2)}\n`;
}

/** Writes `.storage/lovelace_dashboards` and the dashboard's own config into `storageDir`. */
export function writeDashboards(storageDir: string): void {
  const { url_path, id } = HOUSEHOLD_DASHBOARD;
  const dashboard = {
    id,
    url_path,
    title: 'Home',
    icon: 'mdi:home-heart',
    show_in_sidebar: true,
    require_admin: false,
    mode: 'storage',
  };
  writeFileSync(
    join(storageDir, 'lovelace_dashboards'),
    store('lovelace_dashboards', { items: [dashboard] }),
  );
  writeFileSync(
    join(storageDir, `lovelace.${id}`),
    store(`lovelace.${id}`, { config: HOUSEHOLD_DASHBOARD_CONFIG }),
  );
}
