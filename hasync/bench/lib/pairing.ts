/**
 * Pairs many devices through the real admin and device APIs. The device listener allows 10
 * attempts per client address per minute, so attempts come from distinct loopback source
 * addresses (all of 127.0.0.0/8 is loopback on Linux) instead of weakening the limit.
 */
import { request } from 'node:http';

const ALL_AREAS = ['living_room', 'kitchen', 'bedroom', 'bathroom', 'office', 'garden'];
const PER_ADDRESS = 10;

function postJson(
  url: string,
  body: object,
  localAddress?: string,
): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        ...(localAddress ? { localAddress } : {}),
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          data += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data || '{}') }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Mixed scopes: every third device sees the whole home, the others one or two areas. */
export function scopeFor(i: number): string[] {
  const one = ALL_AREAS[i % ALL_AREAS.length] ?? 'kitchen';
  const two = ALL_AREAS[(i + 1) % ALL_AREAS.length] ?? 'office';
  if (i % 3 === 0) return ALL_AREAS;
  return i % 3 === 1 ? [one] : [one, two];
}

function sourceAddress(i: number): string {
  const n = Math.floor(i / PER_ADDRESS);
  return `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

async function pairOne(adminUrl: string, deviceUrl: string, i: number): Promise<string> {
  const offer = await postJson(`${adminUrl}/api/pairings`, { areas: scopeFor(i) });
  if (offer.status !== 201) throw new Error(`pairing offer failed: ${offer.status}`);
  const paired = await postJson(
    `${deviceUrl}/api/pair`,
    { pin: offer.body.pin, name: `Bench ${i}` },
    sourceAddress(i),
  );
  if (paired.status !== 201)
    throw new Error(`pair failed: ${paired.status} ${JSON.stringify(paired.body)}`);
  return paired.body.token ?? '';
}

/** Pairs devices `from`…`to-1`; resolves with their tokens in order. */
export async function pairDevices(
  adminUrl: string,
  deviceUrl: string,
  from: number,
  to: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = from; i < to; i += 20) {
    const batch = [];
    for (let j = i; j < Math.min(to, i + 20); j++) batch.push(pairOne(adminUrl, deviceUrl, j));
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}
