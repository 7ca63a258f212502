import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { Device } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/feedback.tsx';

interface BulkRevokeProps {
  /** The selected devices, in list order. */
  selected: readonly Device[];
  onClear: () => void;
  /** Called after the revocations, with the ids that were revoked. */
  onDone: (revoked: readonly string[]) => void;
}

const plural = (n: number) => (n === 1 ? '1 device' : `${n} devices`);

/** The bar shown while devices are selected: revoke them all after one confirmation. */
export function BulkRevoke({ selected, onClear, onDone }: BulkRevokeProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const count = selected.length;
  const revokeAll = async () => {
    setBusy(true);
    const results = await Promise.allSettled(selected.map((d) => api.revokeDevice(d.id)));
    const revoked = selected.filter((_, i) => results[i]?.status === 'fulfilled').map((d) => d.id);
    const failed = selected.filter((_, i) => results[i]?.status === 'rejected');
    const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    setError(
      failed.length === 0
        ? undefined
        : `Could not revoke ${failed.map((d) => d.name).join(', ')}: ${errorMessage(first?.reason)}`,
    );
    setBusy(false);
    setAsking(false);
    onDone(revoked);
  };
  if (count === 0 && !error) return null;
  const names = selected.map((d) => d.name).join(', ');
  return (
    <section className="bulk-bar" aria-label="Selected devices">
      {error && <ErrorMessage message={error} />}
      {count > 0 && (
        <div className="bulk-actions">
          <span>{plural(count)} selected</span>
          <button type="button" className="button button-text" onClick={onClear}>
            Clear
          </button>
          <button type="button" className="button button-danger" onClick={() => setAsking(true)}>
            Revoke {plural(count)}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={asking}
        title={`Revoke ${plural(count)}?`}
        message={`${names} lose access immediately. To use them again, pair them again.`}
        confirmLabel={`Revoke ${plural(count)}`}
        busy={busy}
        onConfirm={() => void revokeAll()}
        onCancel={() => setAsking(false)}
      />
    </section>
  );
}
