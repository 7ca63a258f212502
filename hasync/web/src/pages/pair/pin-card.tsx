import type { Pairing } from '../../api/types.ts';
import { countdown } from '../../components/format.ts';
import { QrCode } from '../../components/qr-code.tsx';
import { useNow } from '../../hooks/use-now.ts';

interface PinCardProps {
  pairing: Pairing;
  /** The server disabled the PIN after too many wrong PINs; the QR code still pairs. */
  pinLocked: boolean;
  onCancel: () => void;
  /** Cancels this pairing and creates another with a fresh PIN and QR code. */
  onRenew: () => void;
  renewing: boolean;
}

/** The PIN in large digits, its countdown, and the QR code of the pairing link. */
export function PinCard({ pairing, pinLocked, onCancel, onRenew, renewing }: PinCardProps) {
  const now = useNow(1000);
  const left = Date.parse(pairing.expires_at) - now;
  const spaced = pairing.pin.split('').join(' ');
  // The pairing link without its secret: the address a tablet on the network opens.
  const address = pairing.pair_url.split('#')[0] ?? pairing.pair_url;
  return (
    <div className="card pin-card">
      <div className="pin-block">
        <p className="open-on">
          Open this on the tablet:{' '}
          <a className="address" href={address} target="_blank" rel="noreferrer">
            {address}
          </a>
        </p>
        <p className="muted">
          {pinLocked ? 'This PIN is disabled' : 'On the device, enter this PIN'}
        </p>
        <output
          className={pinLocked ? 'pin pin-off' : 'pin'}
          aria-label={pinLocked ? `PIN ${spaced}, disabled` : `PIN ${spaced}`}
        >
          {pairing.pin}
        </output>
        {pinLocked && (
          <p className="pin-locked-note" role="alert">
            <strong>This PIN no longer works.</strong> Too many wrong PINs were tried on your
            network, so HAsync disabled it; someone may be guessing. Scan the QR code instead, or
            get a new PIN.
          </p>
        )}
        <p className="countdown" aria-live="off">
          {pinLocked ? 'QR code valid for ' : 'Valid for '}
          <time dateTime={pairing.expires_at}>{countdown(left)}</time>
        </p>
        <p className="waiting" role="status">
          <span className="spinner" aria-hidden="true" />
          {pinLocked ? 'Waiting for the device to scan the QR code…' : 'Waiting for the device…'}
        </p>
      </div>
      <div className="qr-block">
        <QrCode value={pairing.pair_url} label="QR code that opens the pairing link" />
        {pinLocked ? (
          <p className="qr-works">
            The QR code still works: scan it with the device.{' '}
            <a href={pairing.pair_url}>Pairing link</a>
          </p>
        ) : (
          <p className="muted">
            …or scan to pair. <a href={pairing.pair_url}>Pairing link</a>
          </p>
        )}
      </div>
      <div className="actions">
        <button type="button" className="button button-text" onClick={onCancel}>
          Cancel
        </button>
        {pinLocked && (
          <button
            type="button"
            className="button button-primary"
            onClick={onRenew}
            disabled={renewing}
          >
            {renewing ? 'Creating…' : 'Get a new PIN'}
          </button>
        )}
      </div>
    </div>
  );
}
