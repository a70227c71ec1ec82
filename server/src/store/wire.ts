import { BSON, type Document } from 'bson';

/** Opcodes and flags of the MongoDB wire protocol that the store speaks. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
/** The client accepts a stream of replies to this request (awaitable hello, see Store.serve). */
const EXHAUST_ALLOWED = 1 << 16;

/** The driver advertises 48 MB; anything larger is malformed and closes the connection. */
export const MAX_MESSAGE_BYTES = 48_000_000;
const HEADER_BYTES = 16;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Request {
  header: Header;
  /** The command document, with kind-1 document sequences merged in as arrays. */
  command: Document;
  moreToCome: boolean;
  exhaustAllowed?: boolean;
  legacy: boolean;
  /** OP_QUERY's collection name, e.g. `admin.$cmd`. */
  fullCollectionName?: string;
}

class MalformedMessage extends Error {}

const DESERIALIZE = { promoteLongs: true, promoteValues: true, bsonRegExp: false } as const;

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readBsonAt(buf: Buffer, offset: number, end: number): { doc: Document; size: number } {
  if (offset + 5 > end) throw new MalformedMessage('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new MalformedMessage('invalid BSON document length');
  return { doc: BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE), size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new MalformedMessage('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included). Throws MalformedMessage on anything off. */
export function parseMessage(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) return parseOpMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(buf, header);
  throw new MalformedMessage(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(buf: Buffer, header: Header): Request {
  const flags = buf.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = buf[offset++];
    if (kind === 0) {
      const { doc, size } = readBsonAt(buf, offset, end);
      command = doc;
      offset += size;
    } else if (kind === 1) {
      const size = buf.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new MalformedMessage('invalid document sequence length');
      const id = readCString(buf, offset + 4, sectionEnd);
      const docs: Document[] = [];
      let at = id.next;
      while (at < sectionEnd) {
        const item = readBsonAt(buf, at, sectionEnd);
        docs.push(item.doc);
        at += item.size;
      }
      sequences[id.value] = docs;
      offset = sectionEnd;
    } else {
      throw new MalformedMessage(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new MalformedMessage('OP_MSG without a body section');
  for (const [name, docs] of Object.entries(sequences)) command[name] = docs;
  return {
    header,
    command,
    moreToCome: (flags & MORE_TO_COME) !== 0,
    exhaustAllowed: (flags & EXHAUST_ALLOWED) !== 0,
    legacy: false,
  };
}

function parseOpQuery(buf: Buffer, header: Header): Request {
  let offset = HEADER_BYTES + 4;
  const name = readCString(buf, offset, buf.length);
  offset = name.next + 8; // numberToSkip, numberToReturn
  const { doc } = readBsonAt(buf, offset, buf.length);
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { header, command, moreToCome: false, legacy: true, fullCollectionName: name.value };
}

let nextRequestId = 1;

function withHeader(body: Buffer, responseTo: number, opCode: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32LE(HEADER_BYTES + body.length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

const SERIALIZE = { ignoreUndefined: true } as const;

/** An OP_MSG reply; `moreToCome` marks one of a stream of replies (the client sends no request). */
export function encodeOpMsg(reply: Document, responseTo: number, moreToCome = false): Buffer {
  const doc = BSON.serialize(reply, SERIALIZE);
  const body = Buffer.alloc(5 + doc.length);
  body.writeUInt32LE(moreToCome ? MORE_TO_COME : 0, 0);
  body[4] = 0;
  Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength).copy(body, 5);
  return withHeader(body, responseTo, OP_MSG);
}

export function encodeOpReply(reply: Document, responseTo: number): Buffer {
  const doc = BSON.serialize(reply, SERIALIZE);
  const body = Buffer.alloc(20 + doc.length);
  body.writeInt32LE(8, 0); // AwaitCapable
  body.writeBigInt64LE(0n, 4);
  body.writeInt32LE(0, 12);
  body.writeInt32LE(1, 16);
  Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength).copy(body, 20);
  return withHeader(body, responseTo, OP_REPLY);
}
