import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { DeviceGateway } from '../../gateway/device-gateway.ts';
import { MAX_FRAME_BYTES } from '../../protocol/device-ws.ts';

/**
 * `GET /api/websocket`: Home Assistant's WebSocket API, scoped to the device whose token
 * authenticates the socket. Frames over 64 KiB close the socket with 1009.
 */
export function deviceWebSocketRoute(app: FastifyInstance, gateway: DeviceGateway): void {
  void app.register(async (scope) => {
    await scope.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
    scope.get('/api/websocket', { websocket: true, schema: { hide: true } }, (socket) => {
      gateway.accept(socket);
    });
  });
}
