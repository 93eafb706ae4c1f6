import { z } from 'zod';
import { errorStatus } from '../http/errors.ts';
import type { ApiRoute } from './api.routes.ts';
import { errorResponseSchema } from './api.schemas.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** OpenAPI 3.1, generated from the same zod schemas the routes validate with: it cannot drift. */
export function buildOpenApi(routes: ApiRoute[], baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [route.status]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    };
    const codes = new Set(route.errors ?? []);
    if (route.access !== 'public') codes.add('unauthenticated');
    if (Array.isArray(route.access)) codes.add('forbidden');
    for (const code of codes) {
      const status = String(errorStatus[code]);
      const existing = responses[status] as { description: string } | undefined;
      responses[status] = {
        description: existing ? `${existing.description}, ${code}` : code,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      ...(route.params
        ? {
            parameters: Object.keys(route.params.shape).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
          }
        : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Teknikprao API', version: '1' },
    servers: [{ url: `${baseUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'POST /tokens, or create one under "Mitt konto".' } },
      schemas: { Error: jsonSchema(errorResponseSchema, 'output') },
    },
    paths,
  };
}
