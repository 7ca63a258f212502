import type { HassEvent, HassState } from '../protocol/home-assistant.ts';
import type { Schedule } from '../protocol/household-rules.ts';
import type { DisplaySettings } from '../protocol/wall-display.ts';

/**
 * One entity's change: `old` absent means added, `new` absent means removed. A batch lists every
 * change in order; one entity may appear several times (off→on→off is two changes), as Home
 * Assistant fires them.
 */
export interface StateChange {
  entity_id: string;
  old: HassState | undefined;
  new: HassState | undefined;
  /** Home Assistant's own `state_changed` event, verbatim; absent for differences a resync found. */
  event?: HassEvent;
}

/**
 * A device's settings after an admin change: its scope rule (not the resolved entity set) and its
 * household rules (design §5b) — whether it has an action PIN, never the PIN or its hash.
 */
export interface DeviceChange {
  device_id: string;
  name: string;
  read_only: boolean;
  areas: string[];
  entities: string[];
  excluded: string[];
  floors: string[];
  labels: string[];
  domains: string[];
  view_only: string[];
  view_only_domains: string[];
  expires_at: string | null;
  schedule: Schedule;
  has_action_pin: boolean;
  pin_domains: string[];
  /** Wall-display settings (screensaver, dim schedule) as stored. */
  display: DisplaySettings;
  /** The household dashboard the frontend shows; null: generated from the scope. */
  dashboard: string | null;
}

/** Every event on HAsync's bus. Payload types are the contract between modules. */
export interface HasyncEvents {
  /** Entity states changed upstream (also emitted with all differences after a resync). */
  states_changed: { changes: StateChange[] };
  /** The area, device or entity registry changed; scopes must be recomputed. */
  registry_changed: { registry: 'area' | 'device' | 'entity' | 'floor' | 'label' };
  /**
   * An event other than `state_changed` that Home Assistant fired and that a non-admin user may
   * subscribe to (registry, config, service, theme, panel, lovelace updates…), verbatim. The
   * gateway relays it to devices, filtered to their scope.
   */
  upstream_event: { event: HassEvent };
  /** The upstream link changed state (connected, lost, token rejected…). */
  upstream: { state: 'connected' | 'connecting' | 'disconnected' | 'demo'; error?: string };
  /** A device paired with a pending pairing's PIN or code; the admin UI learns of it over SSE. */
  pairing_completed: { pairing_id: string; device_id: string; name: string };
  /** A pending pairing died unused: its TTL ran out, or five wrong PINs locked it. */
  pairing_expired: { pairing_id: string; status: 'expired' | 'locked' };
  /** A device's name, read-only flag or scope rule changed; live sessions must apply it at once. */
  device_updated: DeviceChange;
  /**
   * A device's end date passed: its token no longer authenticates until an admin extends it, and
   * the gateway closes its sessions (WS 4001) — on its own clock, this event only tells the admin.
   */
  device_expired: { device_id: string; expires_at: string };
  /** A device was revoked: its token is already dead; open sessions must be closed (WS 4001). */
  device_revoked: { device_id: string };
  /** The device gateway reports a device's first session opened / last session closed. */
  device_online: { device_id: string };
  device_offline: { device_id: string };
}
