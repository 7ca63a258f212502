import { request } from 'node:http';

/** A JSON reply; `body` is undefined when empty or not JSON. */
export interface AddressedReply {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

/**
 * Sends one HTTP request with a chosen local source address. All of 127.0.0.0/8 is loopback on
 * Linux, so tests can act as many clients without touching per-address limits.
 */
export function requestFrom(
  localAddress: string | undefined,
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<AddressedReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(localAddress ? { localAddress } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The n-th distinct loopback source address (127.3.x.y). */
export function loopbackAddress(n: number): string {
  return `127.3.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}
