import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loopbackAddress } from '../helpers/from-address.ts';
import { startTestServer } from '../helpers/hasync.ts';
import { closeAll, openSlowConnections, stillOpen } from '../helpers/slow-client.ts';

test('HASYNC_CONNECTIONS_PER_CLIENT sets how many HTTP connections one client may hold', async () => {
  const server = await startTestServer({ env: { HASYNC_CONNECTIONS_PER_CLIENT: '10' } });
  const port = Number(new URL(server.deviceUrl).port);
  const connections = openSlowConnections(port, loopbackAddress(901), 15);
  try {
    const deadline = Date.now() + 3000;
    while (stillOpen(connections) > 10 && Date.now() < deadline) await sleep(50);
    assert.equal(stillOpen(connections), 10, 'the client keeps exactly 10');
    const refused = connections.filter((c) => c.received.startsWith('HTTP/1.1 503'));
    assert.equal(refused.length, 5);
  } finally {
    closeAll(connections);
    await server.stop();
  }
});
