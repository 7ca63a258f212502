import type { HassState } from '../protocol/home-assistant.ts';

/** One entity's change: `old` absent means added, `new` absent means removed. */
export interface StateChange {
  entity_id: string;
  old: HassState | undefined;
  new: HassState | undefined;
}

/** Every event on HAsync's bus. Payload types are the contract between modules. */
export interface HasyncEvents {
  /** Entity states changed upstream (also emitted with all differences after a resync). */
  states_changed: { changes: StateChange[] };
  /** The area, device or entity registry changed; scopes must be recomputed. */
  registry_changed: { registry: 'area' | 'device' | 'entity' };
  /** The upstream link changed state (connected, lost, token rejected…). */
  upstream: { state: 'connected' | 'connecting' | 'disconnected' | 'demo'; error?: string };
}
