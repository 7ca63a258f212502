import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDemoServer } from '../helpers/hasync.ts';
import { createPairing } from '../helpers/json-http.ts';

test('pair_url opens the kiosk at the address devices use (HASYNC_PUBLIC_URL), the code in the fragment', async () => {
  const server = await startDemoServer({
    env: { HASYNC_PUBLIC_URL: 'http://tablet-door.example:8100' },
  });
  try {
    const offer = await createPairing(server.adminUrl, {});
    assert.equal(offer.pair_url, `http://tablet-door.example:8100/#code=${offer.code}`);
  } finally {
    await server.stop();
  }
});

test('without HASYNC_PUBLIC_URL a loopback-bound device port gives a loopback pair_url', async () => {
  const server = await startDemoServer();
  try {
    const offer = await createPairing(server.adminUrl, {});
    const url = new URL(offer.pair_url);
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.port, new URL(server.deviceUrl).port);
    assert.equal(url.hash, `#code=${offer.code}`);
  } finally {
    await server.stop();
  }
});
