/**
 * Co-editing benchmark. Servers run in this process; the 50 editors (stock y-websocket
 * `WebsocketProvider`s) run in a forked child (`node bench/docs.ts --clients`), so client work
 * does not count as server time but shares the same cores, as on a real small host.
 *
 * 1. Relay latency, send → receipt at every other editor (p50/p99), through Crewdeck (session
 *    cookie, per-document `can()`, every update stored in MongoDB before it is relayed) and, in
 *    the same run, through a bare `@y/websocket-server` with no auth and in-memory state.
 * 2. Server heap per open document: 1,000 documents of ~10 KB loaded.
 * 3. Load time of a document with 10,000 stored updates, before and after compaction.
 *
 * Run: `node --expose-gc bench/docs.ts` (EDITORS, SECONDS, RATE override the defaults).
 */
import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs as baselineDocs, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { startServer, type RunningServer } from '../server/src/app.ts';
import { CollabRepository } from '../server/src/collab/collab.repository.ts';
import { appendParagraph, connectEditor, type Editor } from '../tests/support/collab.ts';
import { HttpClient } from '../tests/support/http.ts';
import { percentiles, round, startStoreProcess } from './support.ts';

const EDITORS = Number(process.env.EDITORS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 5);
const RATE = Number(process.env.RATE ?? 2);
const DOCS = 1000;
const LOG_UPDATES = 10_000;
const ADMIN = 'bench@example.test';
const PASSWORD = 'bench-password-123';
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- client process
interface ClientJob {
  /** `ws://host/yjs` (Crewdeck) or `ws://host` (baseline). */
  base: string;
  room: string;
  cookie: string;
}

/** 50 editors on one document; each sets its own map key to its send time at a steady rate. */
async function clientMain(job: ClientJob): Promise<void> {
  const client = new HttpClient(job.base.replace(/^ws/, 'http'));
  const [name, ...value] = job.cookie.split('=');
  if (job.cookie) client.cookies.set(name, value.join('='));
  const editors: Editor[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < EDITORS; i += 1) {
    // The baseline serves rooms at `/<room>`, Crewdeck at `/yjs/<room>`.
    const editor = connectEditor('', job.room, client, { wsBase: job.base });
    const own = `e${i}`;
    editor.doc.getMap('bench').observe((event) => {
      for (const key of event.keysChanged) {
        if (key === own) continue;
        const sent = event.target.get(key);
        if (typeof sent === 'number') latencies.push(now() - sent);
      }
    });
    editors.push(editor);
  }
  await Promise.all(editors.map((e) => e.synced));
  const started = Date.now();
  const timers = editors.map((editor, i) => {
    // Spread senders over the interval so the load is steady, not bursts of 50.
    const interval = 1000 / RATE;
    let handle: NodeJS.Timeout | undefined;
    const first = setTimeout(
      () => {
        handle = setInterval(() => {
          if (Date.now() - started < SECONDS * 1000) editor.doc.getMap('bench').set(`e${i}`, now());
        }, interval);
      },
      (interval * i) / EDITORS,
    );
    return () => {
      clearTimeout(first);
      if (handle) clearInterval(handle);
    };
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000 + 1500));
  for (const stop of timers) stop();
  for (const e of editors) e.destroy();
  process.send?.({ latencies });
}

function runClients(job: ClientJob): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, ['--clients', JSON.stringify(job)], { stdio: 'inherit' });
    child.once('message', (msg: { latencies: number[] }) => resolve(msg.latencies));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`clients exited with ${code}`))));
  });
}

// ---------------------------------------------------------------- server process
function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** The stock server: no auth, in-memory documents. */
async function startBaseline(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.end('ok'));
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws, req) => setupWSConnection(ws, req));
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
  const port = await listen(server);
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        // Without persistence the stock server never destroys its documents, and each one's
        // awareness keeps an interval running: destroy them, or this process never exits.
        for (const doc of baselineDocs.values()) doc.destroy();
        baselineDocs.clear();
        server.close(() => resolve());
      }),
  };
}

/** A ~10 KB document typed as 100 paragraphs, the way an editor stores it. */
function tenKilobyteDoc(): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < 100; i += 1)
    appendParagraph(doc, `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}`.slice(0, 92));
  return Y.encodeStateAsUpdate(doc);
}

async function memoryPerDocument(server: RunningServer, owner: HttpClient): Promise<{ kb: number; encodedKb: number }> {
  const store = new CollabRepository();
  const content = tenKilobyteDoc();
  const ids: string[] = [];
  for (let i = 0; i < DOCS; i += 1) {
    const id: string = (await owner.post('/api/library/documents', { title: `Doc ${i}` })).body.id;
    await store.appendUpdates(id, [{ update: content, userId: null }]);
    ids.push(id);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (const id of ids) await server.collab.acquire(id);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  for (const id of ids) server.collab.release(id);
  while (server.collab.size > 0) await new Promise((r) => setTimeout(r, 50));
  return { kb: round((after - before) / DOCS / 1024, 1), encodedKb: round(content.length / 1024, 1) };
}

async function loadTimes(
  server: RunningServer,
  owner: HttpClient,
): Promise<{ before: number; after: number; updates: number }> {
  const store = new CollabRepository();
  const id: string = (await owner.post('/api/library/documents', { title: 'Long log' })).body.id;
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < LOG_UPDATES; i += 1) {
    if (i % 50 === 0) appendParagraph(doc, '');
    const fragment = doc.getXmlFragment('default');
    const last = fragment.get(fragment.length - 1);
    if (last instanceof Y.XmlElement) {
      const text = last.get(0);
      if (text instanceof Y.XmlText) text.insert(text.length, 'x');
      else last.insert(0, [new Y.XmlText('x')]);
    }
  }
  for (let i = 0; i < updates.length; i += 500) {
    await store.appendUpdates(
      id,
      updates.slice(i, i + 500).map((update) => ({ update, userId: null })),
    );
  }
  const time = async () => {
    const t0 = performance.now();
    await server.collab.acquire(id);
    const ms = performance.now() - t0;
    server.collab.release(id);
    // Unloading compacts the log; wait until it is gone before the next load.
    while (server.collab.size > 0) await new Promise((r) => setTimeout(r, 20));
    return round(ms, 1);
  };
  const before = await time();
  const after = await time();
  return { before, after, updates: updates.length };
}

async function main(): Promise<void> {
  // The database in its own process with a journal on disk, as a real mongod would be.
  const store = await startStoreProcess();
  const server = await startServer({
    port: 0,
    quiet: true,
    mongoUri: store.uri,
    dbName: `bench_docs_${process.pid}`,
    adminLogin: ADMIN,
    adminPassword: PASSWORD,
  });
  const owner = new HttpClient(server.url);
  await owner.login(ADMIN, PASSWORD);
  try {
    const docId: string = (await owner.post('/api/library/documents', { title: 'Bench' })).body.id;
    const baseline = await startBaseline();
    const bare = percentiles(await runClients({ base: baseline.url, room: 'bench', cookie: '' }));
    await baseline.close();
    const crewdeckLatencies = await runClients({
      base: `${server.url.replace(/^http/, 'ws')}/yjs`,
      room: docId,
      cookie: owner.cookieHeader(),
    });
    const ours = percentiles(crewdeckLatencies);
    console.log(`relay, ${EDITORS} editors × ${RATE}/s for ${SECONDS} s (${crewdeckLatencies.length} deliveries):`);
    console.log(`  bare @y/websocket-server  p50 ${bare.p50} ms  p99 ${bare.p99} ms  max ${bare.max} ms`);
    console.log(`  Crewdeck (auth + stored)  p50 ${ours.p50} ms  p99 ${ours.p99} ms  max ${ours.max} ms`);
    console.log(`  ratio p50 ${round(ours.p50 / bare.p50)}  p99 ${round(ours.p99 / bare.p99)}   (target p99 ≤ 1.3)`);
    const memory = await memoryPerDocument(server, owner);
    console.log(
      `memory: ${memory.kb} KB heap per open document (${DOCS} documents of ${memory.encodedKb} KB encoded; target < 200 KB)`,
    );
    const load = await loadTimes(server, owner);
    console.log(
      `load: ${load.updates} stored updates ${load.before} ms; after compaction ${load.after} ms (target < 20 ms)`,
    );
  } finally {
    await server.close();
    await store.stop();
  }
}

if (process.argv[2] === '--clients') await clientMain(JSON.parse(process.argv[3] ?? '{}') as ClientJob);
else await main();
