import type { z } from 'zod';

/**
 * The endpoint contract: every REST endpoint is declared once, here in `shared/`, in the
 * module of its resource (e.g. `taskEndpoints` in `tasks.ts`). The server binds a
 * declaration to its auth mode and handler, the OpenAPI document is generated from the same
 * declarations, and the web calls it through one typed `call(endpoint, input)`.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a successful answer carries: JSON parsed with `response`, a CSV download or a file download. */
export type Produces = 'json' | 'csv' | 'file';

export interface EndpointShape {
  method: HttpMethod;
  /** Path with Express-style parameters, e.g. `/api/tasks/:id`. */
  path: string;
  summary: string;
  /** OpenAPI tag: the resource's feature. */
  tag: string;
  /** Path parameters (`:id`); required when the path has any. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The JSON answer; absent for CSV and file downloads. */
  response?: z.ZodType;
  /** Success status; 200 unless given. */
  status?: number;
  produces?: Produces;
}

export interface JsonEndpoint extends EndpointShape {
  response: z.ZodType;
  produces?: 'json';
}

export interface DownloadEndpoint extends EndpointShape {
  response?: undefined;
  produces: 'csv' | 'file';
}

export type Endpoint = JsonEndpoint | DownloadEndpoint;

/** Declares a group of endpoints, keeping each literal type (paths, schemas) for callers. */
export function defineEndpoints<const T extends Record<string, Endpoint>>(endpoints: T): T {
  return endpoints;
}

type SchemaOutput<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;
type SchemaInput<S> = S extends z.ZodType ? z.input<S> : never;

/** What a handler receives after validation. */
export type ParamsOf<E extends EndpointShape> = SchemaOutput<E['params'], Record<string, never>>;
export type QueryOf<E extends EndpointShape> = SchemaOutput<E['query'], Record<string, never>>;
export type BodyOf<E extends EndpointShape> = SchemaOutput<E['body'], undefined>;
/** What a JSON endpoint answers (as the client reads it after parsing). */
export type ResponseOf<E extends EndpointShape> = SchemaOutput<E['response'], undefined>;

type Part<Key extends string, S> = [S] extends [z.ZodType]
  ? Record<string, never> extends SchemaInput<S>
    ? { [K in Key]?: SchemaInput<S> }
    : { [K in Key]: SchemaInput<S> }
  : { [K in Key]?: never };

/** What a caller sends: `{ params, query, body }`, each required only where the endpoint needs it. */
export type CallInput<E extends EndpointShape> = Part<'params', E['params']> &
  Part<'query', E['query']> &
  Part<'body', E['body']>;

/** True when every part of the input is optional, so `call(endpoint)` may omit it. */
export type InputOptional<E extends EndpointShape> = Record<string, never> extends CallInput<E> ? true : false;

/** Fills `:name` parameters of a path, encoding each value. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** A query string of the filled values only (`?a=1&b=x`), or '' when there are none. */
export function encodeQuery(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    search.set(key, typeof value === 'string' ? value.trim() : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
