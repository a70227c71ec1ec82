import { z } from 'zod';
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { RouteDoc } from '../http/route.ts';
import { SESSION_COOKIE } from '../auth/auth.middleware.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}

/** Turns an object schema into OpenAPI parameters (`in: path|query`). */
function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const CONTENT: Record<'csv' | 'file', JsonSchema> = {
  csv: { 'text/csv': { schema: { type: 'string' } } },
  file: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
};

function operation({ endpoint, auth }: RouteDoc): JsonSchema {
  const produces = endpoint.produces ?? 'json';
  const content =
    produces === 'json'
      ? { 'application/json': { schema: endpoint.response ? schemaOf(endpoint.response, 'output') : {} } }
      : CONTENT[produces];
  const error = {
    description: 'Error',
    content: { 'application/json': { schema: schemaOf(errorBodySchema, 'output') } },
  };
  const body = endpoint.body
    ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(endpoint.body, 'input') } } } }
    : {};
  return {
    summary: endpoint.summary,
    tags: [endpoint.tag],
    operationId: `${endpoint.method}${endpoint.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    parameters: [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query')],
    ...body,
    responses: { [String(endpoint.status ?? 200)]: { description: 'Success', content }, default: error },
    security: auth === 'public' ? [] : auth === 'optional' ? [{}, { session: [] }] : [{ session: [] }],
  };
}

/** OpenAPI 3.1 document built from the route registry and the shared zod schemas. */
export function buildOpenApiDocument(docs: RouteDoc[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of docs) {
    const path = doc.endpoint.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][doc.endpoint.method] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Crewdeck API', version },
    servers: [{ url: '/' }],
    paths,
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
  };
}
