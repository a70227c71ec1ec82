/** A fetch-based client that keeps cookies like a browser tab and sends a same-site Origin. */

// Tests read arbitrary JSON and assert on it with `expect`; a structural type for every
// answer would only restate the shared schemas, so response bodies default to `any` here
// (and only here). Schema conformance is asserted with the shared zod schemas where it matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one deliberate `any`: the default response body type (see above)
type ResponseBody = any;

export interface HttpResponse<T = ResponseBody> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** JSON body (serialized for you). */
  json?: unknown;
  /** Raw body, sent as is with `content-type: application/json` unless headers say otherwise. */
  raw?: string;
  headers?: Record<string, string>;
}

export class HttpClient {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  /** Sent as `Origin` on every request; null sends none (a non-browser client). */
  origin: string | null;

  constructor(baseUrl: string, origin: string | null = baseUrl) {
    this.baseUrl = baseUrl;
    this.origin = origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request<T = ResponseBody>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.origin) headers.origin = this.origin;
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (options.json !== undefined || options.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = options.raw ?? JSON.stringify(options.json);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    this.#store(res.headers.getSetCookie());
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = ResponseBody>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = ResponseBody>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { json: json ?? {}, ...options });
  }
  patch<T = ResponseBody>(path: string, json: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { json, ...options });
  }
  put<T = ResponseBody>(path: string, json: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { json, ...options });
  }
  delete<T = ResponseBody>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  async login(login: string, password: string): Promise<HttpResponse> {
    return this.post('/api/auth/login', { login, password });
  }

  #store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]).getTime() < Date.now(),
      );
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
