import { spawn, type ChildProcess } from 'node:child_process';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM (graceful) by default; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Everything it printed on stdout so far. */
  output(): string;
}

/**
 * Starts `server/src/main.ts` as its own process on a free port, configured only through its
 * environment as in production; resolves once it prints its URL.
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['server/src/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: '', MONGODB_URI: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  let printed = '';
  const output = () => printed;
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /listening on .*?http:\/\/(?:localhost|[\d.]+|\[[^\]]+\]):(\d+)/.exec(printed);
      if (match) resolve({ url: `http://127.0.0.1:${match[1]}`, child, stop, output });
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
}
