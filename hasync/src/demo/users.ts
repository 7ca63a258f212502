/** A Home Assistant user as `auth/current_user` describes it (components/auth/__init__.py). */
export interface DemoUser {
  readonly id: string;
  readonly name: string;
  readonly is_owner: boolean;
  readonly is_admin: boolean;
}

/** The owner, made at onboarding; the demo home's default token belongs to it. */
export const DEMO_OWNER: DemoUser = {
  id: 'demo0000000000000000000000000001',
  name: 'Demo User',
  is_owner: true,
  is_admin: true,
};

/** A household member without admin rights, for the `guestToken` option. */
export const DEMO_GUEST: DemoUser = {
  id: 'demo0000000000000000000000000002',
  name: 'Demo Guest',
  is_owner: false,
  is_admin: false,
};

/** `websocket_current_user`: credentials of the homeassistant provider, TOTP not enabled. */
export function currentUser(user: DemoUser) {
  return {
    id: user.id,
    name: user.name,
    is_owner: user.is_owner,
    is_admin: user.is_admin,
    credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
    mfa_modules: [{ id: 'totp', name: 'Authenticator app', enabled: false }],
  };
}
