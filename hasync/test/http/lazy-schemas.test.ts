import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { lazySchemaCompilers } from '../../src/http/lazy-schemas.ts';

function app() {
  // As createApp configures Ajv: extra properties are refused, not removed.
  const server = Fastify({
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  server.post(
    '/things',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1 } },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    },
    async (req) => ({ ...(req.body as object), secret: 'not in the response schema' }),
  );
  return server;
}

test('a body the route schema refuses is refused as before, with Ajv’s reason', async () => {
  const server = app();
  const res = await server.inject({ method: 'POST', url: '/things', payload: { name: '' } });
  assert.equal(res.statusCode, 400);
  assert.match(res.json<{ message: string }>().message, /body\/name must NOT have fewer than 1/);
  const extra = await server.inject({
    method: 'POST',
    url: '/things',
    payload: { name: 'a', b: 1 },
  });
  assert.equal(extra.statusCode, 400);
  await server.close();
});

test('a valid body passes and the reply is serialized by the response schema', async () => {
  const server = app();
  const res = await server.inject({ method: 'POST', url: '/things', payload: { name: 'lamp' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { name: 'lamp' });
  await server.close();
});

test('schemas are compiled on first use: start-up does not compile them', async () => {
  const server = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers() } });
  // Ajv refuses this schema when it compiles it; Fastify's eager compilers fail ready() with it.
  server.post('/broken', { schema: { body: { type: 'no-such-type' } } }, async () => ({}));
  await server.ready();
  const res = await server.inject({ method: 'POST', url: '/broken', payload: {} });
  assert.equal(res.statusCode, 500);
  await server.close();
});
