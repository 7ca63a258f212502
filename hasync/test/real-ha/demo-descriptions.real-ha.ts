import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createConnection,
  createLongLivedTokenAuth,
  getServices,
} from 'home-assistant-js-websocket';
import { serviceCatalog } from '../../src/demo/service-catalog.ts';
import type { HassServices } from '../../src/protocol/home-assistant.ts';
import { startRealHa } from '../helpers/real-ha.ts';

// Runs only in `npm run test:real-ha`: the demo home's service descriptions must be Home
// Assistant 2024.3.3's own get_services answer, since HAsync decides what a device may call from
// them. HA: homeassistant/helpers/service.py async_get_all_descriptions

let ha: Awaited<ReturnType<typeof startRealHa>>;
let real: HassServices;

before(async () => {
  ha = await startRealHa();
  const conn = await createConnection({ auth: createLongLivedTokenAuth(ha.url, ha.token) });
  real = (await getServices(conn)) as HassServices;
  conn.close();
});
after(async () => {
  await ha?.stop();
});

test('every demo service Home Assistant also has is described exactly as Home Assistant describes it', () => {
  let compared = 0;
  for (const [domain, services] of Object.entries(serviceCatalog())) {
    for (const [service, description] of Object.entries(services)) {
      const theirs = real[domain]?.[service];
      if (!theirs) continue; // scripts and notify.mobile_app_phone exist only in the demo home
      assert.deepEqual(description, theirs, `${domain}.${service}`);
      compared++;
    }
  }
  assert.ok(compared > 40, `compared ${compared} services`);
});
