import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { lazySchemaCompilers } from './lazy-schemas.ts';

/** What the document says of itself (OpenAPI's `info`). */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/**
 * The OpenAPI document of the routes registered on `app` after this call, made by
 * @fastify/swagger on its first request instead of at start-up: only the routes and the shared
 * schemas are noted as they are added (what @fastify/swagger notes itself); the first request
 * loads it into a separate, never-listening Fastify instance with the same routes and schemas,
 * takes its document and closes it. Returns the function that answers with the document.
 */
export function openApiDocument(app: FastifyInstance, info: OpenApiInfo): () => Promise<unknown> {
  const routes: RouteOptions[] = [];
  const scopes: FastifyInstance[] = [app];
  const schemas = new Map<string, unknown>();
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onRegister', (scope) => {
    scopes.push(scope);
  });
  app.addHook('onReady', (done) => {
    for (const scope of scopes) {
      for (const [id, schema] of Object.entries(scope.getSchemas())) schemas.set(id, schema);
    }
    scopes.length = 0;
    done();
  });
  let document: Promise<unknown> | undefined;
  return () => {
    document ??= generate(info, routes, schemas).catch((err: unknown) => {
      document = undefined;
      throw err;
    });
    return document;
  };
}

async function generate(
  info: OpenApiInfo,
  routes: readonly RouteOptions[],
  schemas: ReadonlyMap<string, unknown>,
): Promise<unknown> {
  const { default: swagger } = await import('@fastify/swagger');
  const replica = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  try {
    for (const schema of schemas.values()) replica.addSchema(schema);
    await replica.register(swagger, { openapi: { info: { ...info } } });
    await replica.register(async (scope) => {
      for (const { method, url, schema, config } of routes) {
        scope.route({
          method,
          url,
          ...(schema ? { schema } : {}),
          ...(config ? { config } : {}),
          handler: async () => null,
        });
      }
    });
    await replica.ready();
    return replica.swagger();
  } finally {
    await replica.close();
  }
}
