import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Latency figures in milliseconds from a list of samples. */
export function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `total` operations with `concurrency` in flight; returns ops/s and per-op latency. */
export async function measure(total: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { opsPerSec: Math.round(total / seconds), ...percentiles(latencies) };
}

/** Starts the embedded store as its own process (as a real mongod would be) with a journal. */
export async function startStoreProcess(): Promise<{ uri: string; child: ChildProcess; stop(): Promise<void> }> {
  const dbpath = mkdtempSync(join(tmpdir(), 'crewdeck-bench-'));
  const child = spawn(process.execPath, ['server/src/store/cli.ts', '--port', '0', '--dbpath', dbpath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`store exited with ${code}`)));
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dbpath, { recursive: true, force: true });
    },
  };
}
