import ajvCompiler from '@fastify/ajv-compiler';
import serializerCompiler from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;

/**
 * Fastify's own schema compilers (Ajv for what comes in, fast-json-stringify for what goes out),
 * each route's schema compiled on its first request instead of all of them at start-up, where
 * they were a quarter of the start-up profile. The same compilers and options, so a request is
 * checked exactly as before; only when differs.
 */
export function lazySchemaCompilers(): CompilersFactory {
  const validators = ajvCompiler();
  const serializers = serializerCompiler();
  const buildValidator = (...pool: Parameters<typeof validators>) => {
    let compile: ReturnType<typeof validators> | undefined;
    return (route: Parameters<ReturnType<typeof validators>>[0]): Validate => {
      let validate: Validate | undefined;
      // Fastify reads a failed validation's `errors` from the function it called.
      const lazy: Validate = (data) => {
        compile ??= validators(...pool);
        validate ??= compile(route) as Validate;
        const ok = validate(data);
        lazy.errors = validate.errors;
        return ok;
      };
      return lazy;
    };
  };
  const buildSerializer = (...pool: Parameters<typeof serializers>) => {
    let compile: ReturnType<typeof serializers> | undefined;
    return (route: Parameters<ReturnType<typeof serializers>>[0]): Serialize => {
      let serialize: Serialize | undefined;
      return (data) => {
        compile ??= serializers(...pool);
        serialize ??= compile(route);
        return serialize(data);
      };
    };
  };
  // Fastify types the factories as Ajv's own function types; these call through to them.
  return { buildValidator, buildSerializer } as unknown as CompilersFactory;
}
