import type { ServerResponse } from 'node:http';

/**
 * aiohttp's `HTTPException` bodies, which Home Assistant answers with when a view raises one
 * (aiohttp/web_exceptions.py: `"<status>: <reason>"`, `text/plain; charset=utf-8`), and the body
 * of aiohttp's 500 for an exception no view caught (aiohttp/web_protocol.py
 * `handle_error`, checked against Home Assistant 2024.3.3 with curl).
 */
const PLAIN: Record<number, string> = {
  400: '400: Bad Request',
  401: '401: Unauthorized',
  404: '404: Not Found',
  405: '405: Method Not Allowed',
  500: '500 Internal Server Error\n\nServer got itself in trouble',
};

/** aiohttp's `web.Response` sends a Content-Length, not chunks. */
function send(res: ServerResponse, status: number, headers: Record<string, string>, text: string) {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** The statuses a demo REST reply can carry as aiohttp's plain text. */
export type PlainStatus = 400 | 401 | 404 | 405 | 500;

/** An aiohttp error reply; `allow` is the 405's `Allow` header (aiohttp sorts the methods). */
export function sendPlain(res: ServerResponse, status: PlainStatus, allow?: string[]): void {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (allow) headers.allow = [...allow].sort().join(',');
  // aiohttp closes the connection after an unhandled error.
  if (status === 500) headers.connection = 'close';
  send(res, status, headers, PLAIN[status] ?? '');
}

/**
 * HA: homeassistant/helpers/http.py `HomeAssistantView.json` — compact JSON (orjson) with
 * content-type `application/json`, no charset.
 */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  send(res, status, { 'content-type': 'application/json' }, JSON.stringify(body));
}

/** HA: homeassistant/helpers/http.py `HomeAssistantView.json_message`. */
export function sendMessage(res: ServerResponse, message: string, status = 200): void {
  sendJson(res, { message }, status);
}
