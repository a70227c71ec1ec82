// The one typed client of the Crewdeck REST API: `call(endpoint, input)` with an endpoint
// declared in `@crewdeck/shared`. Same origin, cookie session, path parameters filled, the
// query encoded, the answer parsed with the declared schema; every failure becomes an ApiError.
import {
  encodeQuery,
  fillPath,
  type CallInput,
  type Endpoint,
  type EndpointShape,
  type InputOptional,
  type JsonEndpoint,
  type ResponseOf,
} from '@crewdeck/shared/endpoint';
import { ApiError, parseErrorBody } from './errors.ts';

type Fetch = typeof fetch;

/** The input argument may be left out when the endpoint needs nothing. */
type CallArgs<E extends EndpointShape> =
  InputOptional<E> extends true ? [input?: CallInput<E>, fetchFn?: Fetch] : [input: CallInput<E>, fetchFn?: Fetch];

interface LooseInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** The URL of an endpoint for the given input: used by `call` and by download links. */
export function urlOf<E extends Endpoint>(endpoint: E, ...[input]: CallArgs<E>): string {
  const { params, query } = (input ?? {}) as LooseInput;
  return fillPath(endpoint.path, params) + encodeQuery(query);
}

async function send(method: string, url: string, body: unknown, fetchFn: Fetch): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: method.toUpperCase(),
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', '', undefined, { cause });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw parseErrorBody(response.status, payload);
  return payload;
}

/** Calls a JSON endpoint and returns its answer, parsed with the endpoint's response schema. */
export async function call<E extends JsonEndpoint>(endpoint: E, ...args: CallArgs<E>): Promise<ResponseOf<E>> {
  const [input, fetchFn = fetch] = args;
  const url = urlOf(endpoint, ...args);
  const payload = await send(endpoint.method, url, (input as LooseInput | undefined)?.body, fetchFn);
  const parsed = endpoint.response.safeParse(payload);
  if (!parsed.success) {
    console.error(
      `Unexpected answer from ${endpoint.method.toUpperCase()} ${url}: ${JSON.stringify(parsed.error.issues)}`,
    );
    throw new ApiError(200, 'bad_response', '', undefined, { cause: parsed.error });
  }
  return parsed.data as ResponseOf<E>;
}
