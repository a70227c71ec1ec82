import { WebSocket, type ClientOptions } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { richTextField } from '@crewdeck/shared/library';
import type { HttpClient } from './http.ts';

/** `ws` with the session cookie on the upgrade request, as a browser tab would send it. */
export function cookieWebSocket(cookie: string): new (url: string, protocols?: string | string[]) => WebSocket {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols ?? [], { headers: { cookie } } satisfies ClientOptions);
    }
  };
}

export interface Editor {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes received, in order. */
  closes: number[];
  /** Resolves at the first sync with the server. */
  synced: Promise<void>;
  text(): string;
  append(text: string): void;
  destroy(): void;
}

export const wsUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/yjs`;

/** A stock y-websocket `WebsocketProvider` (node, `ws`) signed in as `client`. */
export function connectEditor(
  httpUrl: string,
  docId: string,
  client: HttpClient,
  options: { awareness?: Record<string, unknown>; wsBase?: string } = {},
): Editor {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(options.wsBase ?? wsUrl(httpUrl), docId, doc, {
    WebSocketPolyfill: cookieWebSocket(client.cookieHeader()) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  if (options.awareness) provider.awareness.setLocalState(options.awareness);
  const closes: number[] = [];
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push(event.code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
  });
  return {
    doc,
    provider,
    closes,
    synced,
    text: () => textOf(doc),
    append: (text) => appendParagraph(doc, text),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Adds a paragraph the way the rich-text editor stores it. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = doc.getXmlFragment(richTextField);
  fragment.insert(fragment.length, [paragraph]);
}

/** Paragraph texts joined by newlines. */
export function textOf(doc: Y.Doc): string {
  return doc
    .getXmlFragment(richTextField)
    .toArray()
    .map((node) =>
      node instanceof Y.XmlElement
        ? node
            .toArray()
            .map((t) => (t instanceof Y.XmlText ? t.toString() : ''))
            .join('')
        : '',
    )
    .join('\n');
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Opens a raw WebSocket to the co-editing endpoint; resolves with the HTTP status of a refusal, or 101. */
export function upgradeStatus(httpUrl: string, docId: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl(httpUrl)}/${docId}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
