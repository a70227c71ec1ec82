import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorStatus, type ErrorBody, type ErrorCode } from '@crewdeck/shared/errors';

interface ParserAnswer {
  code: ErrorCode;
  message: string;
}

/** Node's own parser errors; the status follows from the code, as everywhere. */
const TOO_LARGE: ParserAnswer = { code: 'headers_too_large', message: 'Request headers or URL are too large' };
const PARSER_ERRORS: Record<string, ParserAnswer> = { HPE_HEADER_OVERFLOW: TOO_LARGE, HPE_URI_OVERFLOW: TOO_LARGE };
const MALFORMED: ParserAnswer = { code: 'validation_failed', message: 'Malformed HTTP request' };

/**
 * Requests that Node's HTTP parser refuses (headers or URL over the limit, broken framing)
 * never reach Express; without this they get a bare status line. They get the shared error
 * body instead, like every other refusal.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const { code, message } = PARSER_ERRORS[error.code ?? ''] ?? MALFORMED;
    const status = errorStatus[code];
    const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
    socket.end(
      `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
