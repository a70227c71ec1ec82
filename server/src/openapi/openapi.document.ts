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

function operation(doc: RouteDoc): JsonSchema {
  const content =
    doc.produces === 'text/csv'
      ? { 'text/csv': { schema: { type: 'string' } } }
      : doc.produces === 'application/octet-stream'
        ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
        : { 'application/json': { schema: doc.response ? schemaOf(doc.response, 'output') : {} } };
  const error = { description: 'Error', content: { 'application/json': { schema: schemaOf(errorBodySchema, 'output') } } };
  return {
    summary: doc.summary,
    tags: [doc.tag],
    operationId: `${doc.method}${doc.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(doc.body, 'input') } } } } : {}),
    responses: { [String(doc.status)]: { description: 'Success', content }, default: error },
    security: doc.auth === 'public' ? [] : [{ session: [] }],
  };
}

/** OpenAPI 3.1 document built from the route registry and the shared zod schemas. */
export function buildOpenApiDocument(docs: RouteDoc[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of docs) {
    const path = doc.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][doc.method] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Crewdeck API', version },
    servers: [{ url: '/' }],
    paths,
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
  };
}
