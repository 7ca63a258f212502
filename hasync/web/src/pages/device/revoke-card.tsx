import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/feedback.tsx';

/** Revoke with a confirmation: the device's token dies and its sessions close at once. */
export function RevokeCard({ name, revoke }: { name: string; revoke: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    try {
      await revoke();
    } catch (err) {
      setError(errorMessage(err));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card danger-zone">
      <h3>Revoke</h3>
      <p className="muted">The device is signed out at once and must be paired again.</p>
      {error && <ErrorMessage message={error} />}
      <button type="button" className="button button-danger" onClick={() => setAsking(true)}>
        Revoke device
      </button>
      <ConfirmDialog
        open={asking}
        title={`Revoke ${name}?`}
        message="It loses access immediately. To use it again, pair it again."
        confirmLabel="Revoke"
        busy={busy}
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(false)}
      />
    </div>
  );
}
