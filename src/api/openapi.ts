import { z } from 'zod';
import { errorStatus, type ErrorCode } from '../http/errors.ts';
import type { ApiRoute } from './api.routes.ts';
import { errorResponseSchema } from './api.schemas.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** The error codes a route may answer with: its own, plus those its guard, parameters and body bring. */
function errorCodesOf(route: ApiRoute): Set<ErrorCode> {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.access !== 'public') codes.add('unauthenticated');
  if (Array.isArray(route.access)) codes.add('forbidden');
  if (route.params) codes.add('validation_failed');
  if (route.body) {
    for (const code of ['invalid_json', 'validation_failed', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(code);
  }
  return codes;
}

function responsesOf(route: ApiRoute): Record<string, unknown> {
  const responses: Record<string, { description: string; content: unknown }> = {
    [route.status]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
  };
  for (const code of errorCodesOf(route)) {
    const status = String(errorStatus[code]);
    const existing = responses[status];
    responses[status] = {
      description: existing ? `${existing.description}, ${code}` : code,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return responses;
}

/** OpenAPI 3.1, generated from the same zod schemas the routes validate with: it cannot drift. */
export function buildOpenApi(routes: ApiRoute[], baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...Object.entries(route.params?.shape ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema, 'input') })),
      ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema: jsonSchema(schema, 'input') })),
    ];
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      // `{}` makes the bearer token optional (OpenAPI's way of saying "anonymous or signed in").
      security: route.access !== 'public' ? [{ bearer: [] }] : route.bearerOptional ? [{}, { bearer: [] }] : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
        : {}),
      responses: responsesOf(route),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Teknikprao API',
      version: '1',
      description:
        'The same rules as the web pages. Errors are { "error": { "code", "message", "fields" } }, with messages in Swedish ' +
        '(or the account\'s language) and one message per wrong field in "fields".',
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'POST /tokens, or create one under "Mitt konto".' } },
      schemas: { Error: jsonSchema(errorResponseSchema, 'output') },
    },
    paths,
  };
}
