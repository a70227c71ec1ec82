import { BSON, type Document } from 'bson';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { JournalOp } from './engine.ts';

const RECORD_HEADER = 8;
/** Ops per record; a larger commit spans several records, replayed only when the last arrives. */
const OPS_PER_RECORD = 500;
/**
 * Bytes of ops per record: `BSON.serialize` cannot produce more than 17 MB, so a commit of a few
 * large documents (one insert of 5 × 4 MB) must span records too. One op always fits (≤ 16 MB).
 */
const BYTES_PER_RECORD = 8 * 1024 * 1024;
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

interface Pending {
  buffers: Buffer[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

function chunkOps(ops: JournalOp[]): JournalOp[][] {
  const chunks: JournalOp[][] = [];
  let chunk: JournalOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    const size = BSON.calculateObjectSize(op);
    if (chunk.length && (chunk.length >= OPS_PER_RECORD || bytes + size > BYTES_PER_RECORD)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(op);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

function encodeRecords(ops: JournalOp[]): Buffer[] {
  const out: Buffer[] = [];
  const chunks = chunkOps(ops);
  for (let i = 0; i < chunks.length; i++) {
    const more = i + 1 < chunks.length;
    const body = Buffer.from(BSON.serialize({ ops: chunks[i], more }));
    const header = Buffer.alloc(RECORD_HEADER);
    header.writeUInt32LE(body.length, 0);
    header.writeUInt32LE(crc32(body), 4);
    out.push(header, body);
  }
  return out;
}

/** Decodes whole records; returns the ops of complete commits and the length of the valid prefix. */
function decodeRecords(buf: Buffer): { commits: JournalOp[][]; validLength: number } {
  const commits: JournalOp[][] = [];
  let pending: JournalOp[] = [];
  let offset = 0;
  let validLength = 0;
  while (offset + RECORD_HEADER <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const end = offset + RECORD_HEADER + length;
    if (end > buf.length) break;
    const body = buf.subarray(offset + RECORD_HEADER, end);
    if (crc32(body) !== buf.readUInt32LE(offset + 4)) break;
    const record = BSON.deserialize(body, { promoteLongs: true }) as Document;
    pending.push(...(record.ops as JournalOp[]));
    offset = end;
    if (!record.more) {
      commits.push(pending);
      pending = [];
      validLength = offset;
    }
  }
  return { commits, validLength };
}

const snapshotName = (gen: number) => `snapshot-${String(gen).padStart(8, '0')}.bson`;
const journalName = (gen: number) => `journal-${String(gen).padStart(8, '0')}.log`;
const genOf = (file: string) => Number(file.slice(file.indexOf('-') + 1, file.indexOf('.')));

/**
 * Append-only journal with group commit: every acknowledged write was fsynced first.
 * Compaction writes a snapshot beside it and switches to a new journal; since every op is
 * idempotent (whole documents), replaying a journal over a snapshot that already holds it is safe,
 * so there is no moment where a crash loses an acknowledged write.
 */
export class Journal {
  private readonly dir: string;
  private gen = 0;
  private file!: FileHandle;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private bytesSinceSnapshot = 0;
  private compacting: Promise<void> | null = null;
  private readonly snapshot: () => Iterable<JournalOp>;

  constructor(dir: string, snapshot: () => Iterable<JournalOp>) {
    this.dir = dir;
    this.snapshot = snapshot;
  }

  /** Replays the newest snapshot and every journal after it, then opens the journal for appends. */
  async open(apply: (op: JournalOp) => void): Promise<{ ops: number }> {
    mkdirSync(this.dir, { recursive: true });
    const files = readdirSync(this.dir);
    for (const f of files) if (f.endsWith('.tmp')) unlinkSync(join(this.dir, f));
    const snapshots = files
      .filter((f) => f.startsWith('snapshot-') && f.endsWith('.bson'))
      .map(genOf)
      .sort((a, b) => a - b);
    const base = snapshots.at(-1) ?? 0;
    let ops = 0;
    if (snapshots.length) ops += this.replayFile(join(this.dir, snapshotName(base)), apply, false);
    const journals = files
      .filter((f) => f.startsWith('journal-'))
      .map(genOf)
      .filter((g) => g >= base)
      .sort((a, b) => a - b);
    for (const g of journals) ops += this.replayFile(join(this.dir, journalName(g)), apply, true);
    this.gen = Math.max(base, journals.at(-1) ?? 0);
    this.file = await open(join(this.dir, journalName(this.gen)), 'a');
    this.bytesSinceSnapshot = (await this.file.stat()).size;
    return { ops };
  }

  private replayFile(path: string, apply: (op: JournalOp) => void, repair: boolean): number {
    const buf = readFileSync(path);
    const { commits, validLength } = decodeRecords(buf);
    // A torn tail was never acknowledged: cut it so later appends follow a valid record.
    if (repair && validLength < buf.length) truncateSync(path, validLength);
    let count = 0;
    for (const commit of commits)
      for (const op of commit) {
        apply(op);
        count++;
      }
    return count;
  }

  /** Resolves once the ops are on disk (fsynced); concurrent appends share one fsync. */
  append(ops: JournalOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ buffers: encodeRecords(ops), resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        const file = this.file;
        const buffers = batch.flatMap((p) => p.buffers);
        try {
          await file.writev(buffers);
          await file.datasync();
          this.bytesSinceSnapshot += buffers.reduce((n, b) => n + b.length, 0);
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = null;
    }
    // A failed background compaction loses nothing (the journal stays) and is retried later;
    // it must not become an unhandled rejection that stops the process.
    if (this.bytesSinceSnapshot > COMPACT_AFTER_BYTES) {
      this.compact().catch((err: unknown) => console.error('[store] compaction failed; the journal is kept', err));
    }
  }

  /** Writes a snapshot of the current state and starts a fresh journal. */
  compact(): Promise<void> {
    this.compacting ??= this.doCompact().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async doCompact(): Promise<void> {
    const oldGen = this.gen;
    const next = await open(join(this.dir, journalName(oldGen + 1)), 'a');
    // Capture and switch with no await in between: every op applied so far is in the snapshot,
    // and every later append goes to the new journal.
    const records = encodeRecords([...this.snapshot()]);
    const oldFile = this.file;
    this.gen = oldGen + 1;
    this.file = next;
    this.bytesSinceSnapshot = 0;
    const tmp = join(this.dir, `${snapshotName(this.gen)}.tmp`);
    const fd = openSync(tmp, 'w');
    for (const b of records) writeSync(fd, b);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, snapshotName(this.gen)));
    syncDir(this.dir);
    await this.flushing;
    await oldFile.close();
    for (const f of readdirSync(this.dir)) {
      if ((f.startsWith('journal-') || f.startsWith('snapshot-')) && genOf(f) <= oldGen) unlinkSync(join(this.dir, f));
    }
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.compact();
    await this.file.close();
  }
}

function syncDir(dir: string): void {
  if (!existsSync(dir)) return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
