// Security review finding 9.10 (part): `HOST` chooses the interface, and the log says where
// the server really listens instead of always "localhost".
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

let running: ServerProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function firstLines(server: ServerProcess): Promise<string> {
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
  return server.output();
}

describe('listening address', () => {
  it('HOST=127.0.0.1 binds to loopback only and logs that address', async () => {
    running = await startServerProcess({ HOST: '127.0.0.1', ADMIN_PASSWORD: 'Config-test-pass-42!' });
    const log = await firstLines(running);
    expect(log).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ /);
  });

  it('without HOST it says it listens on every interface', async () => {
    running = await startServerProcess({ ADMIN_PASSWORD: 'Config-test-pass-42!' });
    expect(await firstLines(running)).toMatch(/listening on every interface, port \d+/);
  });
});
