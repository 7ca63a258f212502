import type { Pairing } from '../../api/types.ts';
import { countdown } from '../../components/format.ts';
import { QrCode } from '../../components/qr-code.tsx';
import { useNow } from '../../hooks/use-now.ts';

/** The PIN in large digits, its countdown, and the QR code of the pairing link. */
export function PinCard({ pairing, onCancel }: { pairing: Pairing; onCancel: () => void }) {
  const now = useNow(1000);
  const left = Date.parse(pairing.expires_at) - now;
  return (
    <div className="card pin-card">
      <div className="pin-block">
        <p className="muted">On the device, enter this PIN</p>
        <output className="pin" aria-label={`PIN ${pairing.pin.split('').join(' ')}`}>
          {pairing.pin}
        </output>
        <p className="countdown" aria-live="off">
          Valid for <time dateTime={pairing.expires_at}>{countdown(left)}</time>
        </p>
        <p className="waiting" role="status">
          <span className="spinner" aria-hidden="true" /> Waiting for the device…
        </p>
      </div>
      <div className="qr-block">
        <QrCode value={pairing.pair_url} label="QR code that opens the pairing link" />
        <p className="muted">
          …or scan to pair. <a href={pairing.pair_url}>Pairing link</a>
        </p>
      </div>
      <div className="actions">
        <button type="button" className="button button-text" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
