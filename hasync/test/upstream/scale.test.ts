import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { startLink } from '../fakes/link.ts';

test('keeps 10,000 entities equal to the demo home while it makes 1,000 changes a second', async () => {
  const home = await startDemoHome({ entities: 10_000, rate: 1000 });
  const h = await startLink({ url: home.url, token: 't' });
  try {
    assert.equal(h.cache.states().size, 10_000);
    let changed = 0;
    h.bus.on('scale', 'states_changed', (p) => {
      changed += p.changes.length;
    });
    await waitFor(() => changed >= 500, 'a stream of changes', 10_000);
    home.setRate(0);
    const mismatched = () => {
      let n = 0;
      for (const [id, st] of home.model.states) if (h.cache.state(id)?.state !== st.state) n++;
      return n;
    };
    await waitFor(() => mismatched() === 0, 'the cache to settle on the home', 10_000);
  } finally {
    await h.stop();
    await home.stop();
  }
});
