import type { FastifyInstance } from 'fastify';
import type { DeviceService } from '../../pairing/device-service.ts';

/** Shown in HAsync's log and to any client that reads the body; the apps show their own text. */
export const MOBILE_APP_REFUSAL =
  'HAsync does not register Companion apps: the mobile_app integration (registration, ' +
  'webhooks, sensors, notifications) is not offered on a scoped device. Use the app’s ' +
  'dashboard through a browser, or log in to Home Assistant itself.';

/**
 * The Companion apps' `mobile_app` registration and webhooks are refused, with the status the
 * apps turn into their "enable the mobile_app integration" message: 404, as from a Home
 * Assistant without mobile_app (Android: NameYourDeviceViewModel maps HttpException 404 to
 * error_with_registration). Nothing is forwarded; see README "Logging in with Home Assistant's
 * frontend or the Companion app". Without a valid token the answer is HA's bare 401.
 */
export function companionAppRoutes(app: FastifyInstance, deps: { devices: DeviceService }): void {
  const refuse = ['/api/mobile_app/registrations', '/api/webhook/:webhook_id'];
  for (const url of refuse) {
    app.all(url, async (req, reply) => {
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const isWebhook = url.startsWith('/api/webhook');
      // Webhooks carry no token in Home Assistant: the id is the secret, so none is asked here.
      if (!isWebhook && !deps.devices.authenticate(token)) {
        return reply.status(401).type('text/plain; charset=utf-8').send('401: Unauthorized');
      }
      req.log.warn({ route: url }, 'Companion app registration refused');
      return reply.status(404).send({ message: MOBILE_APP_REFUSAL });
    });
  }
}
