import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/shared/logger.ts';

function capture(): { sink: Writable; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { sink, text: () => text };
}

test('tokens, PINs, codes and authorization headers never reach the log', () => {
  const { sink, text } = capture();
  const log = createLogger('trace', sink);
  log.info({ token: 'hasync_SECRET1', pin: '482913', code: 'QRSECRET2' }, 'top level');
  log.info({ device: { token: 'hasync_SECRET3' }, pairing: { pin: '112358', code: 'QRSECRET4' } });
  log.info({ req: { headers: { authorization: 'Bearer SECRET5' } } }, 'request');
  log.child({ session: 's1' }).warn({ access_token: 'SECRET6' }, 'auth');
  log.info({ refresh_token: 'SECRET7', grant: { refresh_token: 'SECRET8' } }, 'login');
  const out = text();
  for (const secret of [
    'SECRET1',
    '482913',
    'QRSECRET2',
    'SECRET3',
    '112358',
    'QRSECRET4',
    'SECRET5',
    'SECRET6',
    'SECRET7',
    'SECRET8',
  ]) {
    assert.ok(!out.includes(secret), `${secret} leaked into: ${out}`);
  }
  assert.equal(out.match(/\[redacted\]/g)?.length, 10);
});

test('the warning level is accepted and maps to pino warn', () => {
  const { sink, text } = capture();
  const log = createLogger('warning', sink);
  log.info('hidden');
  log.warn('shown');
  assert.doesNotMatch(text(), /hidden/);
  assert.match(text(), /shown/);
});
