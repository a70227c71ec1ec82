import { Router, type Request, type Response } from 'express';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { AuthedContext, RequestContext } from './context.ts';

/**
 * `public`: no session needed. `user`: a session whose user has set their own password.
 * `pending`: any valid session, even one that must still change its password.
 */
export type AuthMode = 'public' | 'user' | 'pending';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Resolves the request's context; the one authentication path, provided by `auth/`. */
export type Authenticate = (req: Request, mode: AuthMode) => Promise<RequestContext>;

type Ctx<M extends AuthMode> = M extends 'public' ? RequestContext : AuthedContext;

export interface RouteInput<M extends AuthMode, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  ctx: Ctx<M>;
  req: Request;
  res: Response;
}

interface RouteBase<M extends AuthMode, P, Q, B> {
  method: HttpMethod;
  /** Express path, e.g. `/api/users/:id`. */
  path: string;
  summary: string;
  tag: string;
  auth: M;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
}

export interface JsonRouteSpec<M extends AuthMode, P, Q, B, R> extends RouteBase<M, P, Q, B> {
  response: z.ZodType<R>;
  status?: number;
  handler: (input: RouteInput<M, P, Q, B>) => Promise<R>;
}

/** A CSV download: the handler returns a stream of already-encoded CSV text. */
export interface CsvPayload {
  filename: string;
  stream: Readable;
}

export interface CsvRouteSpec<M extends AuthMode, P, Q, B> extends RouteBase<M, P, Q, B> {
  handler: (input: RouteInput<M, P, Q, B>) => Promise<CsvPayload>;
}

/** A file download: always an attachment, with the type decided by the server (never guessed by the browser). */
export interface FilePayload {
  filename: string;
  contentType: string;
  size: number;
  stream: Readable;
}

export interface FileRouteSpec<M extends AuthMode, P, Q, B> extends RouteBase<M, P, Q, B> {
  handler: (input: RouteInput<M, P, Q, B>) => Promise<FilePayload>;
}

/** What the OpenAPI generator needs to know about a route. */
export interface RouteDoc {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  auth: AuthMode;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  status: number;
  produces: 'application/json' | 'text/csv' | 'application/octet-stream';
}

function parseOr<T>(schema: z.ZodType<T> | undefined, value: unknown, fallback: T): T {
  return schema ? schema.parse(value) : fallback;
}

/**
 * Every API route is declared here with its zod schemas, so validation and the OpenAPI
 * document come from the same declaration and cannot drift apart.
 */
export class RouteRegistry {
  readonly router = Router();
  readonly docs: RouteDoc[] = [];
  readonly #authenticate: Authenticate;

  constructor(authenticate: Authenticate) {
    this.#authenticate = authenticate;
  }

  json<M extends AuthMode, P = object, Q = object, B = undefined, R = unknown>(
    spec: JsonRouteSpec<M, P, Q, B, R>,
  ): void {
    const status = spec.status ?? 200;
    this.docs.push({ ...this.#doc(spec), response: spec.response, status, produces: 'application/json' });
    this.router[spec.method](spec.path, async (req, res) => {
      const input = await this.#input(spec, req, res);
      const result = await spec.handler(input);
      res.status(status).json(result);
    });
  }

  csv<M extends AuthMode, P = object, Q = object, B = undefined>(spec: CsvRouteSpec<M, P, Q, B>): void {
    this.docs.push({ ...this.#doc(spec), status: 200, produces: 'text/csv' });
    this.router[spec.method](spec.path, async (req, res) => {
      const input = await this.#input(spec, req, res);
      const { filename, stream } = await spec.handler(input);
      res.status(200).type('text/csv; charset=utf-8').attachment(filename);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  }

  /**
   * Stored user files: `Content-Disposition: attachment` with a safe name, `nosniff`, and a
   * CSP that sandboxes the response should a browser render it anyway.
   */
  file<M extends AuthMode, P = object, Q = object, B = undefined>(spec: FileRouteSpec<M, P, Q, B>): void {
    this.docs.push({ ...this.#doc(spec), status: 200, produces: 'application/octet-stream' });
    this.router[spec.method](spec.path, async (req, res) => {
      const input = await this.#input(spec, req, res);
      const { filename, contentType, size, stream } = await spec.handler(input);
      // `attachment()` would derive the type from the name's extension: set ours after it.
      res.status(200).attachment(filename).setHeader('Content-Type', contentType);
      res.setHeader('Content-Length', String(size));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'none'");
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  }

  #doc<M extends AuthMode, P, Q, B>(spec: RouteBase<M, P, Q, B>): Omit<RouteDoc, 'status' | 'produces'> {
    const { method, path, summary, tag, auth, params, query, body } = spec;
    return { method, path, summary, tag, auth, params, query, body };
  }

  async #input<M extends AuthMode, P, Q, B>(
    spec: RouteBase<M, P, Q, B>,
    req: Request,
    res: Response,
  ): Promise<RouteInput<M, P, Q, B>> {
    // Authenticate before validating so anonymous callers learn nothing about the schema.
    const ctx = (await this.#authenticate(req, spec.auth)) as Ctx<M>;
    const params = parseOr(spec.params, req.params, {} as P);
    const query = parseOr(spec.query, req.query, {} as Q);
    const body = parseOr(spec.body, req.body, undefined as B);
    return { params, query, body, ctx, req, res };
  }
}
