/** Command messages compared with Home Assistant's answers to its non-admin user. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bothAnswer, type Conformance, startConformance } from './conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

describe('messages answer as Home Assistant answers its non-admin user', () => {
  // HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
  // (invalid_format with humanize_error of the command schema)
  test('extra keys in a command get the upstream invalid_format message', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'ping', extra: 1 }]);
    assert.ok(answer);
    assert.deepEqual(answer.device, answer.ha);
  });
});
