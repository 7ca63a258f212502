import type { FastifyInstance } from 'fastify';
import { AUTHORIZE_CSS, AUTHORIZE_HTML, AUTHORIZE_JS } from './auth-page-assets.ts';

/** The login page's files; never cached, so a HAsync update shows at once. */
const PAGE_FILES: readonly (readonly [string, string, string])[] = [
  ['/auth/authorize', 'text/html; charset=utf-8', AUTHORIZE_HTML],
  ['/auth/authorize.js', 'text/javascript; charset=utf-8', AUTHORIZE_JS],
  ['/auth/authorize.css', 'text/css; charset=utf-8', AUTHORIZE_CSS],
];

/**
 * HAsync's own login page where Home Assistant serves authorize.html. Home Assistant's page
 * labels form fields and errors only for its own provider types, so a PIN field would have no
 * label there; this page completes the same OAuth redirect (README design notes).
 */
export function authPageRoutes(app: FastifyInstance): void {
  for (const [url, type, body] of PAGE_FILES) {
    app.get(url, async (_req, reply) =>
      reply.type(type).header('cache-control', 'no-cache').send(body),
    );
  }
}
