import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntityEntry } from '../../src/protocol/home-assistant.ts';
import { SUBSCRIBE_ALLOWLIST } from '../../src/upstream/subscribe-allowlist.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { startLink } from '../fakes/link.ts';
import {
  countOf,
  eventFrame,
  haEvent,
  okResult,
  type RawMessage,
  result,
  startRawHomeAssistant,
  subscriptionId,
} from '../fakes/raw-ha.ts';

function entityEntry(entityId: string, areaId: string | null): EntityEntry {
  return {
    entity_id: entityId,
    id: entityId,
    name: null,
    original_name: null,
    icon: null,
    platform: 'demo',
    area_id: areaId,
    device_id: null,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
    has_entity_name: false,
  };
}

// HA: homeassistant/components/websocket_api/connection.py async_handle (unknown_command)
test('Home Assistant 2024.3 has no floors or labels: empty lists, no error, asked once', async () => {
  const fake = await startRawHomeAssistant((msg) => [okResult(msg)]);
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    assert.equal(h.link.status().state, 'connected');
    assert.equal(h.link.status().lastError, undefined);
    assert.equal(h.cache.floors().size, 0);
    assert.equal(h.cache.labels().size, 0);
    for (let n = 0; n < 5; n++) {
      fake.send(
        eventFrame(
          subscriptionId(fake, 'entity_registry_updated'),
          haEvent('entity_registry_updated', { action: 'update', entity_id: 'light.a' }, n),
        ),
      );
    }
    await waitFor(() => h.upstreamEvents.length === 5, 'the relayed events');
    assert.equal(countOf(fake, 'config/floor_registry/list'), 1);
    assert.equal(countOf(fake, 'config/label_registry/list'), 1);
    assert.equal(fake.connections, 1, 'the connection was never dropped');
    assert.doesNotMatch(h.logs(), /refresh failed/);
  } finally {
    await h.stop();
    await fake.close();
  }
});

// HA: homeassistant/components/config/floor_registry.py websocket_list_floors (2024.4+)
test("a 2024.4 upstream's floors, labels and list_for_display are kept as sent and relisted", async () => {
  const floor = {
    floor_id: 'ground',
    name: 'Ground',
    level: 0,
    icon: null,
    aliases: [],
    created_at: 0,
  };
  const label = { label_id: 'red', name: 'Red', color: 'red', icon: null, description: null };
  const display = {
    entity_categories: { '0': 'config', '1': 'diagnostic' },
    entities: [{ ei: 'light.a', pl: 'demo', ai: 'kitchen', lb: ['red'], tk: 'x', hn: true }],
  };
  let floors = [floor];
  const fake = await startRawHomeAssistant((msg) => {
    if (msg.type === 'config/floor_registry/list') return [result(msg.id, floors)];
    if (msg.type === 'config/label_registry/list') return [result(msg.id, [label])];
    if (msg.type === 'config/entity_registry/list_for_display') return [result(msg.id, display)];
    return [okResult(msg)];
  });
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    assert.deepEqual([...h.cache.floors().values()], [floor]);
    assert.deepEqual([...h.cache.labels().values()], [label]);
    assert.deepEqual(h.cache.entitiesForDisplay(), display);
    h.registryEvents.length = 0;
    floors = [floor, { ...floor, floor_id: 'first', name: 'First', level: 1 }];
    const event = haEvent('floor_registry_updated', { action: 'create', floor_id: 'first' });
    let floorsWhenRelayed = 0;
    h.bus.on('t', 'upstream_event', () => {
      floorsWhenRelayed = h.cache.floors().size;
    });
    fake.send(eventFrame(subscriptionId(fake, 'floor_registry_updated'), event));
    await waitFor(() => h.upstreamEvents.length === 1, 'the relayed event');
    assert.deepEqual(h.upstreamEvents[0], event);
    assert.equal(floorsWhenRelayed, 2, 'relayed after the cache had the new listing');
    assert.deepEqual(h.registryEvents, ['floor']);
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('a burst of registry events costs one relist after the delay, and relists never overlap', async () => {
  let version = 0;
  let running = 0;
  let mostAtOnce = 0;
  const fake = await startRawHomeAssistant((msg: RawMessage) => {
    if (msg.type !== 'config/entity_registry/list') return [okResult(msg)];
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    const entries = [entityEntry('light.a', `area-${version}`)];
    setTimeout(() => {
      running--;
      fake.send(result(msg.id, entries));
    }, 40);
    return [];
  });
  const h = await startLink({
    url: fake.url,
    token: 't',
    relistDelays: { registry: 50, services: 50 },
  });
  try {
    const sub = subscriptionId(fake, 'entity_registry_updated');
    const before = countOf(fake, 'config/entity_registry/list');
    const areaWhenRelayed: unknown[] = [];
    h.bus.on('t', 'upstream_event', () => {
      areaWhenRelayed.push(h.cache.entityEntries().get('light.a')?.area_id);
    });
    version = 1;
    const burst = Array.from({ length: 200 }, (_, n) =>
      eventFrame(
        sub,
        haEvent('entity_registry_updated', { action: 'update', entity_id: 'light.a' }, n),
      ),
    );
    fake.send(`[${burst.join(',')}]`);
    await waitFor(() => h.upstreamEvents.length === 200, 'the burst relayed');
    assert.equal(countOf(fake, 'config/entity_registry/list') - before, 1, 'one relist');
    assert.ok(
      areaWhenRelayed.every((area) => area === 'area-1'),
      'each relayed after the relist',
    );
    // Events during a relist wait for a following one: never two at once.
    version = 2;
    fake.send(eventFrame(sub, haEvent('entity_registry_updated', { action: 'update' }, 500)));
    await waitFor(() => countOf(fake, 'config/entity_registry/list') - before === 2, 'a relist');
    version = 3;
    fake.send(eventFrame(sub, haEvent('entity_registry_updated', { action: 'update' }, 501)));
    await waitFor(() => h.cache.entityEntries().get('light.a')?.area_id === 'area-3', 'area-3');
    assert.equal(mostAtOnce, 1, 'relists of one registry never overlapped');
    assert.equal(h.upstreamEvents.length, 202);
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('subscribes to every allowlisted event type and relays the others at once, verbatim', async () => {
  const fake = await startRawHomeAssistant((msg) => [okResult(msg)]);
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    const subscribed = fake.received
      .filter((msg) => msg.type === 'subscribe_events')
      .map((msg) => msg.event_type);
    assert.deepEqual(new Set(subscribed), SUBSCRIBE_ALLOWLIST);
    assert.equal(subscribed.length, SUBSCRIBE_ALLOWLIST.size, 'one subscription each');
    assert.ok(!subscribed.includes(undefined), 'never every event type');
    const themes = haEvent('themes_updated', {});
    const lovelace = haEvent('lovelace_updated', { url_path: null, mode: 'storage' }, 2);
    fake.send(eventFrame(subscriptionId(fake, 'themes_updated'), themes));
    fake.send(eventFrame(subscriptionId(fake, 'lovelace_updated'), lovelace));
    await waitFor(() => h.upstreamEvents.length === 2, 'the relayed events');
    assert.deepEqual(h.upstreamEvents, [themes, lovelace]);
  } finally {
    await h.stop();
    await fake.close();
  }
});

// js-websocket: lib/config.ts processComponentLoaded
test('component_loaded adds the component to the config without listing it again', async () => {
  const fake = await startRawHomeAssistant((msg) => [okResult(msg)]);
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    const before = h.cache.config();
    const event = haEvent('component_loaded', { component: 'shopping_list' });
    fake.send(eventFrame(subscriptionId(fake, 'component_loaded'), event));
    await waitFor(() => h.upstreamEvents.length === 1, 'the relayed event');
    assert.deepEqual(h.cache.config()?.components, ['light', 'shopping_list']);
    assert.deepEqual(before?.components, ['light'], 'the earlier config object was not edited');
    assert.equal(countOf(fake, 'get_config'), 1);
  } finally {
    await h.stop();
    await fake.close();
  }
});

// js-websocket: lib/services.ts (relists services after service_registered)
test('service_registered relists the services once, then relays the events', async () => {
  let services: Record<string, unknown> = { light: {} };
  const fake = await startRawHomeAssistant((msg) =>
    msg.type === 'get_services' ? [result(msg.id, services)] : [okResult(msg)],
  );
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    services = { light: {}, script: { demo: { fields: {} } } };
    const sub = subscriptionId(fake, 'service_registered');
    for (let n = 0; n < 20; n++) {
      fake.send(
        eventFrame(sub, haEvent('service_registered', { domain: 'script', service: `s${n}` }, n)),
      );
    }
    await waitFor(() => h.upstreamEvents.length === 20, 'the relayed events');
    assert.ok(h.cache.services().script?.demo);
    assert.equal(countOf(fake, 'get_services'), 2);
  } finally {
    await h.stop();
    await fake.close();
  }
});
