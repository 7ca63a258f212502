import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every answer on both listeners. Only HAsync's own files run:
 * no inline or foreign scripts, no plugins, no foreign frames. `frame-ancestors 'self'` keeps
 * the admin UI loadable inside Home Assistant's frontend, which frames ingress pages on its own
 * origin, and stops any other site from framing either listener (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React and the QR code set style attributes; no stylesheet from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
  // The pairing code travels in a URL fragment, which is never sent; send no referrer at all.
  'referrer-policy': 'no-referrer',
};

const HEADER_ENTRIES = Object.entries(HEADERS);

/** Adds the security headers to every reply that does not set its own. */
export function securityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise and microtask per request (health probes).
  app.addHook('onSend', (_req, reply, payload, done) => {
    for (const [name, value] of HEADER_ENTRIES) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    done(null, payload);
  });
}
