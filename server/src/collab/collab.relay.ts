import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { Mutex } from '../audit/mutex.ts';

/** What one instance tells the others about a document. */
export type RelayMessage =
  | { type: 'update'; update: Uint8Array; userId: string | null }
  | { type: 'awareness'; update: Uint8Array }
  /** An instance just loaded the document: the others publish their clients' awareness. */
  | { type: 'awarenessQuery' };

/** Re-authorization requests raised by domain events on one instance, carried out on all. */
export type ControlMessage =
  | { type: 'sessions'; sessionIds: string[] }
  | { type: 'users'; userIds: string[]; revoked: boolean }
  | { type: 'documents'; documentIds: string[] }
  | { type: 'all' };

/**
 * How instances cooperate on a document: relay of updates and awareness, a per-document lock
 * for single-writer work (compaction, versions), and "who is editing" across instances.
 * `LocalRelay` is the single-process form; `RedisRelay` spans processes.
 */
export interface Relay {
  readonly instanceId: string;
  subscribe(docId: string, handler: (message: RelayMessage) => void): Promise<void>;
  unsubscribe(docId: string): Promise<void>;
  publish(docId: string, message: RelayMessage): void;
  onControl(handler: (message: ControlMessage) => void): void;
  publishControl(message: ControlMessage): void;
  /** Runs `task` while no other instance runs a locked task for the document. */
  withLock<T>(docId: string, task: () => Promise<T>): Promise<T>;
  setPresence(docId: string, userIds: string[]): Promise<void>;
  presence(docIds: string[]): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

/** One process: nothing to relay; locks and presence in memory. */
export class LocalRelay implements Relay {
  readonly instanceId = randomUUID();
  readonly #locks = new Map<string, { mutex: Mutex; waiting: number }>();
  readonly #presence = new Map<string, string[]>();

  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  publish(): void {}
  onControl(): void {}
  publishControl(): void {}

  async withLock<T>(docId: string, task: () => Promise<T>): Promise<T> {
    const entry = this.#locks.get(docId) ?? { mutex: new Mutex(), waiting: 0 };
    this.#locks.set(docId, entry);
    entry.waiting += 1;
    try {
      return await entry.mutex.run(task);
    } finally {
      entry.waiting -= 1;
      if (entry.waiting === 0) this.#locks.delete(docId);
    }
  }

  async setPresence(docId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) this.#presence.delete(docId);
    else this.#presence.set(docId, userIds);
  }

  async presence(docIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    for (const id of docIds) {
      const users = this.#presence.get(id);
      if (users) result.set(id, users);
    }
    return result;
  }

  async close(): Promise<void> {}
}

const newClient = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof newClient>;

const channel = (docId: string) => `crewdeck:yjs:${docId}`;
const CONTROL = 'crewdeck:yjs:control';
const lockKey = (docId: string) => `crewdeck:yjs:lock:${docId}`;
const presenceKey = (docId: string) => `crewdeck:yjs:presence:${docId}`;
const LOCK_TTL_MS = 30_000;
const PRESENCE_TTL_S = 90;
/** Deletes the lock only if this instance still holds it (it may have expired and been taken). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Redis pub/sub relay (the approach of Hocuspocus's Redis extension): every instance holding
 * a document subscribes to its channel and applies what the others publish. Messages carry
 * the sender's instance id so an instance ignores its own.
 */
export class RedisRelay implements Relay {
  readonly instanceId = randomUUID();
  readonly #pub: RedisClient;
  readonly #sub: RedisClient;
  readonly #handlers = new Map<string, (message: RelayMessage) => void>();
  #control: ((message: ControlMessage) => void) | null = null;

  private constructor(pub: RedisClient, sub: RedisClient) {
    this.#pub = pub;
    this.#sub = sub;
  }

  static async connect(url: string, onReconnect: () => void): Promise<RedisRelay> {
    const pub = newClient(url);
    const sub = newClient(url);
    for (const client of [pub, sub])
      client.on('error', (e: unknown) => console.error('[crewdeck] redis (co-editing)', e));
    await Promise.all([pub.connect(), sub.connect()]);
    // Pub/sub loses messages while disconnected: documents resync from the database.
    sub.on('ready', onReconnect);
    const relay = new RedisRelay(pub, sub);
    await sub.subscribe(CONTROL, (raw: string) => relay.#onControl(raw));
    return relay;
  }

  async subscribe(docId: string, handler: (message: RelayMessage) => void): Promise<void> {
    this.#handlers.set(docId, handler);
    await this.#sub.subscribe(channel(docId), (raw: Buffer) => this.#onMessage(docId, raw), true);
  }

  async unsubscribe(docId: string): Promise<void> {
    this.#handlers.delete(docId);
    await this.#sub.unsubscribe(channel(docId));
  }

  publish(docId: string, message: RelayMessage): void {
    this.#pub
      .publish(channel(docId), encodeRelay(this.instanceId, message))
      .catch((e: unknown) => console.error('[crewdeck] relay publish failed', e));
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.#control = handler;
  }

  publishControl(message: ControlMessage): void {
    const raw = JSON.stringify({ from: this.instanceId, message });
    this.#pub.publish(CONTROL, raw).catch((e: unknown) => console.error('[crewdeck] control publish failed', e));
  }

  async withLock<T>(docId: string, task: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + LOCK_TTL_MS;
    while ((await this.#pub.set(lockKey(docId), token, { NX: true, PX: LOCK_TTL_MS })) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`lock for ${docId} not acquired`);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
    try {
      return await task();
    } finally {
      await this.#pub.eval(RELEASE, { keys: [lockKey(docId)], arguments: [token] });
    }
  }

  async setPresence(docId: string, userIds: string[]): Promise<void> {
    const key = presenceKey(docId);
    if (userIds.length === 0) {
      await this.#pub.hDel(key, this.instanceId);
      return;
    }
    await this.#pub.multi().hSet(key, this.instanceId, JSON.stringify(userIds)).expire(key, PRESENCE_TTL_S).exec();
  }

  async presence(docIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    const all = await Promise.all(docIds.map((id) => this.#pub.hGetAll(presenceKey(id))));
    docIds.forEach((id, i) => {
      const users = new Set<string>();
      for (const value of Object.values(all[i] ?? {})) for (const u of parseIds(value)) users.add(u);
      if (users.size > 0) result.set(id, [...users]);
    });
    return result;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#sub.quit(), this.#pub.quit()]);
  }

  #onMessage(docId: string, raw: Buffer): void {
    const decoded = decodeRelay(raw);
    if (!decoded || decoded.from === this.instanceId) return;
    this.#handlers.get(docId)?.(decoded.message);
  }

  #onControl(raw: string): void {
    try {
      const parsed = JSON.parse(raw) as { from?: unknown; message?: ControlMessage };
      if (parsed.from === this.instanceId || !parsed.message) return;
      this.#control?.(parsed.message);
    } catch {
      // Not ours: ignore.
    }
  }
}

function parseIds(value: unknown): string[] {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : [];
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const relayTypes = { update: 0, awareness: 1, awarenessQuery: 2 } as const;

/** `[type][instance id length][instance id][user id length][user id][payload]`. */
function encodeRelay(from: string, message: RelayMessage): Buffer {
  const fromBytes = Buffer.from(from);
  const userBytes = Buffer.from(message.type === 'update' ? (message.userId ?? '') : '');
  const header = Buffer.from([relayTypes[message.type], fromBytes.length, userBytes.length]);
  return Buffer.concat([
    header,
    fromBytes,
    userBytes,
    message.type === 'awarenessQuery' ? new Uint8Array() : message.update,
  ]);
}

function decodeRelay(raw: Buffer): { from: string; message: RelayMessage } | null {
  if (raw.length < 3) return null;
  const [type, fromLength, userLength] = [raw[0], raw[1], raw[2]];
  const from = raw.subarray(3, 3 + fromLength).toString();
  const userId = raw.subarray(3 + fromLength, 3 + fromLength + userLength).toString() || null;
  const update = new Uint8Array(raw.subarray(3 + fromLength + userLength));
  if (type === 0) return { from, message: { type: 'update', update, userId } };
  if (type === 1) return { from, message: { type: 'awareness', update } };
  if (type === 2) return { from, message: { type: 'awarenessQuery' } };
  return null;
}
