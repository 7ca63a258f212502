import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { Backoff, sleep } from '../../src/shared/backoff.ts';

test('backoff doubles from the initial delay up to the cap and starts over after reset', () => {
  const backoff = new Backoff({ initialMs: 1000, maxMs: 5000, jitter: 0 });
  assert.deepEqual(
    [1, 2, 3, 4, 5].map(() => backoff.next()),
    [1000, 2000, 4000, 5000, 5000],
  );
  backoff.reset();
  assert.equal(backoff.next(), 1000);
});

test('jitter spreads delays but never beyond the cap', () => {
  const high = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 1);
  const low = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0);
  assert.equal(high.next(), 1000);
  assert.equal(low.next(), 500);
});

test('sleep resolves after its delay, or at once when aborted, clearing its timer', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let done = false;
    const slept = sleep(60_000, new AbortController().signal).then(() => {
      done = true;
    });
    mock.timers.tick(59_999);
    await Promise.resolve();
    assert.equal(done, false);
    mock.timers.tick(1);
    await slept;
    assert.equal(done, true);
    const abort = new AbortController();
    const aborted = sleep(60_000, abort.signal);
    abort.abort();
    await aborted;
  } finally {
    mock.timers.reset();
  }
});
