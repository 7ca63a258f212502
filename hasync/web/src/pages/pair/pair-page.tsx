import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { Pairing, PairingRequest } from '../../api/types.ts';
import { ErrorMessage, Loading } from '../../components/feedback.tsx';
import { dateTime } from '../../components/format.ts';
import { useApi } from '../../hooks/use-api.ts';
import { routeHref } from '../../hooks/use-route.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';
import { AreaChecklist } from './area-checklist.tsx';
import { GuestUntil } from './guest-until.tsx';
import { PinCard } from './pin-card.tsx';

type Step =
  | { step: 'start' }
  | { step: 'pending'; pairing: Pairing; request: PairingRequest; pinLocked: boolean }
  | { step: 'paired'; deviceId: string; name: string }
  | { step: 'ended'; why: string };

/**
 * How often a pending pairing's status is asked for: a backup for a missed event, and how the page
 * learns that its PIN was disabled (the server announces no event for that).
 */
const POLL_MS = 5000;

/** One click to a PIN and QR code; turns into "Paired: <name>" when the device completes. */
export function PairPage() {
  const [state, setState] = useState<Step>({ step: 'start' });
  const [error, setError] = useState<string>();
  const [renewing, setRenewing] = useState(false);
  const pending = state.step === 'pending' ? state.pairing : undefined;
  useServerEvents((event) => {
    if (!pending) return;
    if (event.name === 'pairing_completed' && event.payload.pairing_id === pending.id) {
      setState({ step: 'paired', deviceId: event.payload.device_id, name: event.payload.name });
    }
    if (event.name === 'pairing_expired' && event.payload.pairing_id === pending.id) {
      const why = event.payload.status === 'locked' ? 'Too many wrong PINs.' : 'The PIN expired.';
      setState({ step: 'ended', why: `${why} Create a new one to try again.` });
    }
  });
  usePendingPoll(pending, setState, () =>
    setState((now) => (now.step === 'pending' ? { ...now, pinLocked: true } : now)),
  );
  const cancel = () => {
    if (pending) api.cancelPairing(pending.id).catch(() => undefined);
    setState({ step: 'start' });
  };
  const renew = async (old: Pairing, request: PairingRequest) => {
    setRenewing(true);
    try {
      const pairing = await api.createPairing(request);
      // Awaited so the old QR code is dead by the time the new one shows.
      await api.cancelPairing(old.id).catch(() => undefined);
      setError(undefined);
      setState({ step: 'pending', pairing, request, pinLocked: false });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRenewing(false);
    }
  };
  return (
    <section aria-labelledby="pair-title">
      <h2 id="pair-title">Pair a device</h2>
      {error && <ErrorMessage message={error} />}
      {state.step === 'start' && (
        <StartForm
          onCreated={(pairing, request) => {
            setError(undefined);
            setState({ step: 'pending', pairing, request, pinLocked: false });
          }}
          onError={setError}
        />
      )}
      {state.step === 'pending' && state.request.expires_at && (
        <p className="muted" role="status">
          Guest: the device it pairs works until {dateTime(state.request.expires_at)}.
        </p>
      )}
      {state.step === 'pending' && (
        <PinCard
          pairing={state.pairing}
          pinLocked={state.pinLocked}
          onCancel={cancel}
          onRenew={() => void renew(state.pairing, state.request)}
          renewing={renewing}
        />
      )}
      {state.step === 'paired' && (
        <div className="card success" role="status">
          <h3>Paired: {state.name}</h3>
          <p>Now choose which areas and entities it may see and control.</p>
          <a
            className="button button-primary"
            href={routeHref({ page: 'device', id: state.deviceId })}
          >
            Choose what it can see
          </a>
        </div>
      )}
      {state.step === 'ended' && (
        <div className="card">
          <p>{state.why}</p>
          <button
            type="button"
            className="button button-primary"
            onClick={() => setState({ step: 'start' })}
          >
            Start again
          </button>
        </div>
      )}
    </section>
  );
}

/** Polls a pending pairing: ends it when it is used or runs out, notes when its PIN is disabled. */
function usePendingPoll(
  pending: Pairing | undefined,
  setState: (step: Step) => void,
  onPinLocked: () => void,
): void {
  const pinLocked = useRef(onPinLocked);
  pinLocked.current = onPinLocked;
  useEffect(() => {
    if (!pending) return;
    const check = async () => {
      const status = await api.pairing(pending.id).catch(() => undefined);
      if (status?.status === 'completed' && status.device_id) {
        const device = await api.device(status.device_id).catch(() => undefined);
        setState({ step: 'paired', deviceId: status.device_id, name: device?.name ?? 'device' });
      } else if (status && status.status !== 'pending') {
        setState({ step: 'ended', why: `The PIN is no longer valid (${status.status}).` });
      } else if (status?.pin_locked) {
        pinLocked.current();
      }
    };
    const timer = setInterval(() => void check(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending, setState]);
}

function StartForm(props: {
  onCreated: (pairing: Pairing, request: PairingRequest) => void;
  onError: (m: string) => void;
}) {
  const areas = useApi(() => api.areas());
  const [selected, setSelected] = useState<string[]>([]);
  const [guestUntil, setGuestUntil] = useState<string>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (guestUntil !== undefined && Date.parse(guestUntil) <= Date.now()) {
      props.onError('Choose a guest end date in the future.');
      return;
    }
    setBusy(true);
    try {
      const request: PairingRequest = {
        ...(selected.length ? { areas: selected } : {}),
        ...(guestUntil ? { expires_at: guestUntil } : {}),
      };
      props.onCreated(await api.createPairing(request), request);
    } catch (err) {
      props.onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card">
      <p>
        Create a one-time PIN, then enter it on the device (or scan the QR code with it). The PIN
        works once and expires after a few minutes.
      </p>
      {areas.loading && !areas.data && <Loading label="Loading areas…" />}
      {areas.error && <ErrorMessage message={areas.error} onRetry={areas.reload} />}
      {areas.data && (
        <AreaChecklist
          areas={areas.data}
          selected={selected}
          onChange={setSelected}
          legend="Share these areas right away (optional)"
        />
      )}
      <GuestUntil onChange={setGuestUntil} />
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void create()}
          disabled={busy}
        >
          {busy ? 'Creating…' : 'Create PIN'}
        </button>
      </div>
    </div>
  );
}
