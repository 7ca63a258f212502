import { DemoHome } from '../../src/demo/demo-home.ts';
import { startRealHa } from '../helpers/real-ha.ts';

/** Which Home Assistant the conformance suite runs against. */
export type UpstreamKind = 'real-ha' | 'demo';

/** A Home Assistant (real or the demo home) with an admin and a non-admin token. */
export interface Upstream {
  readonly kind: UpstreamKind;
  readonly url: string;
  /** An admin's long-lived token. */
  readonly token: string;
  /** A non-admin user's token (the demo home's guest). */
  readonly userToken: string;
  stop(): Promise<void>;
}

/** `HASYNC_CONFORMANCE=real-ha` selects real Home Assistant; anything else the demo home. */
export const UPSTREAM_KIND: UpstreamKind =
  process.env.HASYNC_CONFORMANCE === 'real-ha' ? 'real-ha' : 'demo';

const DEMO_TOKEN = 'conformance-demo-token';
const DEMO_GUEST_TOKEN = 'conformance-demo-guest-token';

let started: Promise<Upstream> | undefined;

async function startDemo(): Promise<Upstream> {
  // rate 0: a still home, so two reads of one entity compare equal.
  const home = new DemoHome({ rate: 0, token: DEMO_TOKEN, guestToken: DEMO_GUEST_TOKEN });
  await home.start();
  return {
    kind: 'demo',
    url: home.url,
    token: DEMO_TOKEN,
    userToken: DEMO_GUEST_TOKEN,
    stop: () => home.stop(),
  };
}

async function startReal(): Promise<Upstream> {
  const ha = await startRealHa();
  return {
    kind: 'real-ha',
    url: ha.url,
    token: ha.token,
    userToken: ha.userToken,
    stop: () => ha.stop(),
  };
}

/**
 * The upstream of this test process, started on first use and shared by its tests (node:test
 * runs each file in its own process). Real Home Assistant is installed on first use by the
 * harness; a failure to install or start it fails the run, it never skips.
 */
export function upstream(): Promise<Upstream> {
  started ??= UPSTREAM_KIND === 'real-ha' ? startReal() : startDemo();
  return started;
}

/** Stops the shared upstream if it was started. */
export async function stopUpstream(): Promise<void> {
  const current = started;
  started = undefined;
  if (current) await (await current).stop();
}
