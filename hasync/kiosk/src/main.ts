import './styles.css';
import { Dashboard } from './dashboard.ts';
import { forgetDevice, loadDevice, type StoredDevice, saveDevice } from './device-store.ts';
import { mount } from './dom.ts';
import { spatialFocus } from './focus-nav.ts';
import { pairingScreen } from './pairing-screen.ts';

const REVOKED =
  'This screen was removed from HAsync, so it no longer shows anything. Pair it again to continue.';

const root = document.getElementById('app') as HTMLElement;

/** Takes the QR-code secret out of `#code=…` and clears the fragment, so it is not kept around. */
function takeCode(): string | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get('code') ?? undefined;
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return code;
}

function showPairing(notice?: string, code?: string): void {
  root.className = 'pair-page';
  mount(
    root,
    pairingScreen({
      ...(notice ? { notice } : {}),
      ...(code ? { code } : {}),
      onPaired: (device) => {
        saveDevice(device);
        showDashboard(device);
      },
    }),
  );
  root.querySelector<HTMLInputElement>('#pin, .primary')?.focus();
}

function showDashboard(device: StoredDevice): void {
  root.className = 'dashboard';
  const dashboard = new Dashboard(root, device, () => {
    forgetDevice();
    showPairing(REVOKED);
  });
  void dashboard.start();
}

spatialFocus();
const code = takeCode();
const stored = loadDevice();
// A pairing link wins over an old token: someone scanned a new QR code on purpose.
if (stored && !code) showDashboard(stored);
else showPairing(undefined, code);
