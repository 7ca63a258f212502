import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type DashboardScope,
  retargetNavigation,
  scopeDashboard,
} from '../../src/scope/scope-dashboard.ts';

const HOME = [
  'light.kitchen',
  'light.office',
  'sensor.kitchen_temp',
  'sensor.office_co2',
  'camera.door',
];
const ds: DashboardScope = {
  scope: new Set(['light.kitchen', 'sensor.kitchen_temp']),
  isEntity: (id) => HOME.includes(id),
  areas: new Set(['kitchen']),
};

const view = (cards: unknown[], extra: Record<string, unknown> = {}) =>
  scopeDashboard({ title: 'Home', views: [{ title: 'Main', cards, ...extra }] }, ds);

test('keeps a card whose entities are all in scope and removes one naming an entity outside it', () => {
  const out = view([
    { type: 'tile', entity: 'light.kitchen' },
    { type: 'tile', entity: 'light.office' },
  ]);
  assert.deepEqual(out, {
    title: 'Home',
    views: [{ title: 'Main', cards: [{ type: 'tile', entity: 'light.kitchen' }] }],
  });
});

test('an entities card keeps its in-scope rows, strings and {entity} objects alike', () => {
  const out = view([
    {
      type: 'entities',
      title: 'Mixed',
      entities: [
        'light.kitchen',
        'light.office',
        { entity: 'sensor.kitchen_temp', name: 'Temp' },
        { entity: 'sensor.office_co2' },
        { type: 'divider' },
      ],
    },
  ]);
  assert.deepEqual(out.views, [
    {
      title: 'Main',
      cards: [
        {
          type: 'entities',
          title: 'Mixed',
          entities: [
            'light.kitchen',
            { entity: 'sensor.kitchen_temp', name: 'Temp' },
            { type: 'divider' },
          ],
        },
      ],
    },
  ]);
});

test('an entity list with no in-scope row left is removed, and the view that ends empty with it', () => {
  const out = scopeDashboard(
    {
      views: [
        {
          title: 'Office',
          cards: [{ type: 'glance', entities: ['light.office', { type: 'divider' }] }],
        },
        { title: 'Kitchen', cards: [{ type: 'entity', entity: 'light.kitchen' }] },
      ],
    },
    ds,
  );
  assert.deepEqual(
    (out.views as { title: string }[]).map((v) => v.title),
    ['Kitchen'],
  );
});

test('nested stacks lose their out-of-scope cards and go when nothing remains', () => {
  const out = view([
    {
      type: 'vertical-stack',
      cards: [
        { type: 'horizontal-stack', cards: [{ type: 'button', entity: 'light.office' }] },
        {
          type: 'grid',
          cards: [
            { type: 'button', entity: 'light.kitchen' },
            { type: 'gauge', entity: 'sensor.office_co2' },
          ],
        },
      ],
    },
    { type: 'horizontal-stack', cards: [{ type: 'light', entity: 'light.office' }] },
  ]);
  assert.deepEqual(out.views, [
    {
      title: 'Main',
      cards: [
        {
          type: 'vertical-stack',
          cards: [{ type: 'grid', cards: [{ type: 'button', entity: 'light.kitchen' }] }],
        },
      ],
    },
  ]);
});

test('a conditional card goes when its condition or its card names an entity outside the scope', () => {
  const out = view([
    {
      type: 'conditional',
      conditions: [{ entity: 'light.office', state: 'on' }],
      card: { type: 'tile', entity: 'light.kitchen' },
    },
    {
      type: 'conditional',
      conditions: [{ entity: 'light.kitchen', state: 'on' }],
      card: { type: 'tile', entity: 'light.office' },
    },
    {
      type: 'conditional',
      conditions: [{ condition: 'state', entity: 'light.kitchen', state: 'on' }],
      card: { type: 'tile', entity: 'sensor.kitchen_temp' },
    },
  ]);
  const cards = (out.views as { cards: { card: unknown }[] }[])[0]?.cards ?? [];
  assert.equal(cards.length, 1);
  assert.deepEqual(cards[0]?.card, {
    type: 'tile',
    entity: 'sensor.kitchen_temp',
  });
});

test('badges keep the in-scope ones, as strings or objects', () => {
  const out = view([{ type: 'tile', entity: 'light.kitchen' }], {
    badges: [
      'sensor.kitchen_temp',
      'sensor.office_co2',
      { entity: 'light.office' },
      { entity: 'light.kitchen' },
    ],
  });
  assert.deepEqual((out.views as { badges: unknown[] }[])[0]?.badges, [
    'sensor.kitchen_temp',
    { entity: 'light.kitchen' },
  ]);
});

test('a view of badges only stays when a badge stays', () => {
  const out = scopeDashboard(
    {
      views: [
        { title: 'Badges out', badges: ['light.office'] },
        { title: 'Badges in', badges: ['light.kitchen'] },
      ],
    },
    ds,
  );
  assert.deepEqual(out.views, [{ title: 'Badges in', badges: ['light.kitchen'] }]);
});

test('custom and unknown cards stay only when they reference no entity', () => {
  const out = view([
    { type: 'custom:clock-card' },
    { type: 'custom:mushroom-light-card', entity: 'light.kitchen' },
    { type: 'energy-distribution', title: 'Energy' },
    { type: 'iframe', url: 'http://homeassistant.local:8123/config' },
  ]);
  assert.deepEqual((out.views as { cards: unknown[] }[])[0]?.cards, [
    { type: 'custom:clock-card' },
    { type: 'energy-distribution', title: 'Energy' },
    { type: 'iframe', url: 'http://homeassistant.local:8123/config' },
  ]);
});

test('text that mentions an entity outside the scope removes the card: markdown, templates, actions', () => {
  const out = view([
    { type: 'markdown', content: 'Office air: {{ states("sensor.office_co2") }}' },
    { type: 'markdown', content: '{{ states.light.office.state }}' },
    { type: 'markdown', content: 'Kitchen: {{ states("sensor.kitchen_temp") }}' },
    {
      type: 'button',
      entity: 'light.kitchen',
      tap_action: {
        action: 'call-service',
        service: 'light.turn_on',
        service_data: { entity_id: 'light.office' },
      },
    },
    { type: 'picture-glance', entities: [], camera_image: 'camera.door' },
    {
      type: 'button',
      name: 'Both',
      tap_action: {
        action: 'call-service',
        service: 'light.toggle',
        target: { entity_id: 'light.kitchen, light.office' },
      },
    },
  ]);
  assert.deepEqual((out.views as { cards: unknown[] }[])[0]?.cards, [
    { type: 'markdown', content: 'Kitchen: {{ states("sensor.kitchen_temp") }}' },
  ]);
});

test('an area card stays only for an area the scope reaches', () => {
  const out = view([
    { type: 'area', area: 'kitchen' },
    { type: 'area', area: 'office' },
  ]);
  assert.deepEqual((out.views as { cards: unknown[] }[])[0]?.cards, [
    { type: 'area', area: 'kitchen' },
  ]);
});

test('sections of a sections view are filtered like grids; strategies and unknown keys are not kept', () => {
  const out = scopeDashboard(
    {
      title: 'Sections',
      strategy: { type: 'custom:everything' },
      secret: 'x',
      views: [
        {
          type: 'sections',
          title: 'S',
          sections: [
            { type: 'grid', cards: [{ type: 'tile', entity: 'light.office' }] },
            { type: 'grid', title: 'Kitchen', cards: [{ type: 'tile', entity: 'light.kitchen' }] },
          ],
        },
        { title: 'Generated', strategy: { type: 'original-states' } },
      ],
    },
    ds,
  );
  assert.deepEqual(out, {
    title: 'Sections',
    views: [
      {
        type: 'sections',
        title: 'S',
        sections: [
          { type: 'grid', title: 'Kitchen', cards: [{ type: 'tile', entity: 'light.kitchen' }] },
        ],
      },
    ],
  });
});

test('a dashboard with nothing in scope becomes one empty view', () => {
  assert.deepEqual(view([{ type: 'tile', entity: 'light.office' }]), {
    title: 'Home',
    views: [{ cards: [] }],
  });
});

test('a service name is not taken for an entity id', () => {
  const out = view([
    {
      type: 'button',
      entity: 'light.kitchen',
      tap_action: { action: 'call-service', service: 'light.turn_on' },
    },
  ]);
  assert.equal((out.views as { cards: unknown[] }[])[0]?.cards.length, 1);
});

test("links to the dashboard's own views follow it to the device's default path; others stay", () => {
  const nav = (path: string) => ({ action: 'navigate', navigation_path: path });
  const config = {
    views: [
      {
        path: 'more',
        subview: true,
        back_path: '/dashboard-home/kitchen',
        cards: [
          {
            type: 'button',
            tap_action: nav('/dashboard-home/more'),
            hold_action: nav('/dashboard-home'),
          },
          { type: 'button', tap_action: nav('/dashboard-home?edit=1') },
          { type: 'button', tap_action: nav('/dashboard-homely/x') },
          { type: 'button', tap_action: nav('/dashboard-other/kitchen') },
          { type: 'markdown', content: 'see /dashboard-home/more', navigation_path: 7 },
        ],
      },
    ],
  };
  assert.deepEqual(retargetNavigation(config, 'dashboard-home', 'lovelace'), {
    views: [
      {
        path: 'more',
        subview: true,
        back_path: '/lovelace/kitchen',
        cards: [
          { type: 'button', tap_action: nav('/lovelace/more'), hold_action: nav('/lovelace') },
          { type: 'button', tap_action: nav('/lovelace?edit=1') },
          { type: 'button', tap_action: nav('/dashboard-homely/x') },
          { type: 'button', tap_action: nav('/dashboard-other/kitchen') },
          { type: 'markdown', content: 'see /dashboard-home/more', navigation_path: 7 },
        ],
      },
    ],
  });
});
