import { Router, type Request, type Response } from 'express';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type {
  BodyOf,
  DownloadEndpoint,
  Endpoint,
  EndpointShape,
  JsonEndpoint,
  ParamsOf,
  QueryOf,
  ResponseOf,
} from '@crewdeck/shared/endpoint';
import type { AuthedContext, RequestContext } from './context.ts';
import { assertAcceptableInput } from './input-text.ts';

/**
 * `public`: no session needed. `user`: a session whose user has set their own password.
 * `pending`: any valid session, even one that must still change its password.
 * `optional`: the caller's session when there is a valid one, anonymous otherwise (never a 401).
 */
export type AuthMode = 'public' | 'optional' | 'user' | 'pending';

/** Resolves the request's context; the one authentication path, provided by `auth/`. */
export type Authenticate = (req: Request, mode: AuthMode) => Promise<RequestContext>;

type Ctx<M extends AuthMode> = M extends 'public' | 'optional' ? RequestContext : AuthedContext;

export interface RouteInput<M extends AuthMode, E extends EndpointShape> {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
  ctx: Ctx<M>;
  req: Request;
  res: Response;
}

/** What the server adds to a shared endpoint declaration: who may call it and what it does. */
export interface RouteBinding<M extends AuthMode, E extends EndpointShape, R> {
  auth: M;
  handler: (input: RouteInput<M, E>) => Promise<R>;
}

/** A CSV download: the handler returns a stream of already-encoded CSV text. */
export interface CsvPayload {
  filename: string;
  stream: Readable;
}

/** A file download: always an attachment, with the type decided by the server (never guessed by the browser). */
export interface FilePayload {
  filename: string;
  contentType: string;
  size: number;
  stream: Readable;
  /** Shown in the browser instead of downloaded (previews), under this Content-Security-Policy. */
  inline?: { csp: string };
}

/** What the OpenAPI generator needs to know about a route: its shared declaration and auth mode. */
export interface RouteDoc {
  endpoint: Endpoint;
  auth: AuthMode;
}

function parseOr(schema: z.ZodType | undefined, value: unknown, fallback: unknown): unknown {
  return schema ? schema.parse(value) : fallback;
}

/**
 * Binds the endpoints declared in `shared/` to their auth mode and handler. Validation, the
 * OpenAPI document and the web's typed calls all come from the same declaration.
 */
export class RouteRegistry {
  readonly router = Router();
  readonly docs: RouteDoc[] = [];
  readonly #authenticate: Authenticate;

  constructor(authenticate: Authenticate) {
    this.#authenticate = authenticate;
  }

  json<M extends AuthMode, E extends JsonEndpoint>(endpoint: E, binding: RouteBinding<M, E, ResponseOf<E>>): void {
    const status = endpoint.status ?? 200;
    this.#register(endpoint, binding.auth);
    this.router[endpoint.method](endpoint.path, async (req, res) => {
      const result = await binding.handler(await this.#input(endpoint, binding.auth, req, res));
      res.status(status).json(result);
    });
  }

  csv<M extends AuthMode, E extends DownloadEndpoint & { produces: 'csv' }>(
    endpoint: E,
    binding: RouteBinding<M, E, CsvPayload>,
  ): void {
    this.#register(endpoint, binding.auth);
    this.router[endpoint.method](endpoint.path, async (req, res) => {
      const { filename, stream } = await binding.handler(await this.#input(endpoint, binding.auth, req, res));
      res.status(200).type('text/csv; charset=utf-8').attachment(filename);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  }

  /**
   * Stored user files: `Content-Disposition: attachment` with a safe name, `nosniff`, and a
   * CSP that sandboxes the response should a browser render it anyway.
   */
  file<M extends AuthMode, E extends DownloadEndpoint & { produces: 'file' }>(
    endpoint: E,
    binding: RouteBinding<M, E, FilePayload>,
  ): void {
    this.#register(endpoint, binding.auth);
    this.router[endpoint.method](endpoint.path, async (req, res) => {
      const input = await this.#input(endpoint, binding.auth, req, res);
      const { filename, contentType, size, stream, inline } = await binding.handler(input);
      // `attachment()` would derive the type from the name's extension: set ours after it.
      res.status(200).attachment(filename).setHeader('Content-Type', contentType);
      if (inline)
        res.setHeader('Content-Disposition', String(res.get('Content-Disposition')).replace(/^attachment/, 'inline'));
      res.setHeader('Content-Length', String(size));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', inline?.csp ?? "default-src 'none'; sandbox; frame-ancestors 'none'");
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  }

  /**
   * For the few endpoints whose answer is neither JSON nor a download (OAuth redirects, webhook
   * receivers): the handler writes the response itself. Auth and validation are the same.
   */
  raw<M extends AuthMode, E extends DownloadEndpoint>(endpoint: E, binding: RouteBinding<M, E, void>): void {
    this.#register(endpoint, binding.auth);
    this.router[endpoint.method](endpoint.path, async (req, res) => {
      await binding.handler(await this.#input(endpoint, binding.auth, req, res));
    });
  }

  #register(endpoint: Endpoint, auth: AuthMode): void {
    if (this.docs.some((doc) => doc.endpoint.method === endpoint.method && doc.endpoint.path === endpoint.path)) {
      throw new Error(`Route declared twice: ${endpoint.method.toUpperCase()} ${endpoint.path}`);
    }
    this.docs.push({ endpoint, auth });
  }

  async #input<M extends AuthMode, E extends EndpointShape>(
    endpoint: E,
    auth: M,
    req: Request,
    res: Response,
  ): Promise<RouteInput<M, E>> {
    // Authenticate before validating so anonymous callers learn nothing about the schema.
    const ctx = (await this.#authenticate(req, auth)) as Ctx<M>;
    for (const part of [req.params, req.query, req.body]) assertAcceptableInput(part);
    const params = parseOr(endpoint.params, req.params, {}) as ParamsOf<E>;
    const query = parseOr(endpoint.query, req.query, {}) as QueryOf<E>;
    const body = parseOr(endpoint.body, req.body, undefined) as BodyOf<E>;
    return { params, query, body, ctx, req, res };
  }
}
