import { apiBase, type StoredDevice } from './device-store.ts';

/** The outcome of `POST /api/pair`, with any failure already put in words for the screen. */
export type PairOutcome =
  | { readonly ok: true; readonly device: StoredDevice }
  | { readonly ok: false; readonly message: string; readonly final: boolean };

interface ErrorReply {
  error?: { code?: string; message?: string };
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/[.;]*$/, '.');
}

function waitWords(seconds: number): string {
  if (seconds <= 90) return `${Math.ceil(seconds)} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Whether a failure means this PIN can never work again (a new one is needed). */
export const isFinal = (status: number) => status === 410;

function failure(status: number, body: ErrorReply, retryAfter: string | null, byCode: boolean) {
  if (status === 401) {
    return byCode
      ? 'This pairing link is not valid. Create a new pairing in HAsync and scan it again.'
      : 'That PIN is not right. Check the PIN shown in HAsync and try again.';
  }
  // 410: the pairing is gone — used, expired, cancelled, or its PIN locked after wrong PINs.
  if (status === 410) return sentence(body.error?.message ?? 'this PIN has expired');
  if (status === 429) {
    const seconds = Number(retryAfter);
    const wait = !Number.isFinite(seconds) || seconds <= 0 ? 'a minute' : waitWords(seconds);
    return `Too many attempts. Try again in ${wait}.`;
  }
  if (status === 400) return 'Enter the 6 digits of the PIN and a name for this screen.';
  return sentence(body.error?.message ?? `pairing failed (HTTP ${status})`);
}

/** Pairs this browser with a PIN or a QR-code secret. */
export async function pairWith(
  secret: { pin: string } | { code: string },
  name: string,
): Promise<PairOutcome> {
  let res: Response;
  try {
    res = await fetch(`${apiBase()}/api/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...secret, name, type: 'kiosk' }),
    });
  } catch {
    return {
      ok: false,
      message: 'Cannot reach HAsync. Check the network and try again.',
      final: false,
    };
  }
  const body = (await res.json().catch(() => ({}))) as ErrorReply & Partial<StoredDevice>;
  if (res.status === 201 && typeof body.token === 'string') {
    const { device_id = '', token, name: paired = name } = body;
    return { ok: true, device: { device_id, token, name: paired } };
  }
  const message = failure(res.status, body, res.headers.get('retry-after'), 'code' in secret);
  return { ok: false, message, final: isFinal(res.status) };
}

/** A default name for this screen: "Kiosk" plus a hint of the browser and system. */
export function defaultName(userAgent = navigator.userAgent): string {
  const os = [
    ['Android', /Android/],
    ['iPad', /iPad/],
    ['iPhone', /iPhone/],
    ['TV', /SMART-TV|Tizen|Web0S|webOS|BRAVIA|AFT/i],
    ['Windows', /Windows/],
    ['Mac', /Macintosh/],
    ['ChromeOS', /CrOS/],
    ['Linux', /Linux/],
  ] as const;
  const found = os.find(([, pattern]) => pattern.test(userAgent));
  return found ? `Kiosk (${found[0]})` : 'Kiosk';
}
