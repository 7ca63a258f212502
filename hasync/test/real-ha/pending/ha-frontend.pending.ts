// PENDING — one step of the real-HA end-to-end test of issue 14 (not run: the test:real-ha glob
// is test/real-ha/*.real-ha.ts). Everything else of stages (b) and (c) passes in
// test/real-ha/ha-frontend.real-ha.ts; move this test there (after the search step, before the
// revocation, same `tablet` page logged in with the kitchen scope) once it passes.
//
// What fails: after `PATCH /api/devices/<id> {"areas":["kitchen","bedroom"]}` the tablet's
// dashboard does not show "Bed Light" (waited 5 s in an exploratory run). The device socket does get the new
// entities (subscribe_entities `a` with light.bed_light, switch.decorative_lights, …), but
// nothing else.
//
// Why: the frontend 20240307.0 builds a generated dashboard (lovelace/config → config_not_found)
// from hass.entities, hass.devices and hass.areas, and generates it again only when the panel is
// attached again, when the socket reconnects (`connection-status` "connected" → _fetchConfig), or
// after a `lovelace_updated` event (a toast "…dashboard was updated. Refresh?" whose Refresh
// regenerates it in place) — never on a registry or state change (ha-panel-lovelace.ts
// _regenerateConfig / _handleConnectionStatus / _lovelaceChanged, read in the shipped bundle): the
// same frontend on Home Assistant shows an entity newly added to an area only after a reload.
//
// What it needs (src/gateway/device-gateway.ts #pushScopeDelta, another engineer's file): when a
// device's scope changes, besides the `a`/`r` it sends now, either
//   (1) close the device's sessions with a retryable code (1012 "scope changed", say): the
//       frontend reconnects by itself, lists the registries again (already scoped) and regenerates
//       the dashboard — no reload and no tap; or
//   (2) send `entity_registry_updated` {action:"create"|"remove", entity_id}, plus
//       `device_registry_updated` / `area_registry_updated` for devices and areas newly reached or
//       left, to the sessions' subscriptions of those types (so hass.entities/devices/areas are
//       listed again), then `lovelace_updated` {url_path:null, mode:"storage"}: the frontend shows
//       its own Refresh toast, and the test taps it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { patchDevice } from '../../helpers/devices.ts';

declare const page: Page;
declare const adminUrl: string;
declare const deviceId: string;

test('(c) an admin scope change appears on the tablet without reload', async () => {
  await page.getByText('Carbon monoxide').waitFor();
  assert.equal(await page.getByText('Bed Light').count(), 0);
  const res = await patchDevice(adminUrl, deviceId, { areas: ['kitchen', 'bedroom'] });
  assert.equal(res.status, 200);
  // With (2), tap the frontend's own Refresh first: page.getByText('Refresh').click().
  await page.getByText('Bed Light').waitFor({ timeout: 15_000 }); // never page.reload()
  await page.getByText('Bedroom', { exact: true }).waitFor();
});
