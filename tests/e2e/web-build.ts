// Builds the web app (web/build/handler.js, mounted by the server) when it is missing or
// older than anything it is built from. Used by the e2e tests before they start the server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const handler = path.join(root, 'web', 'build', 'handler.js');
const sources = ['web/src', 'web/static', 'web/vite.config.ts', 'web/package.json', 'shared/src'];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function webBuildIsFresh(): boolean {
  if (!existsSync(handler)) return false;
  const built = statSync(handler).mtimeMs;
  return sources.every((source) => newestMtime(path.join(root, source)) <= built);
}

const lock = path.join(root, 'web', '.build-lock');

/** Waits (synchronously) for another test process's build to finish; takes the lock. */
function acquireLock(): void {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      // Another vitest process is building: a stale lock older than the deadline is taken over.
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (Date.now() > deadline || age > 10 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

/** Builds once even when several test processes ask at the same time (two builds would clash). */
export function ensureWebBuild(): void {
  if (webBuildIsFresh()) return;
  acquireLock();
  try {
    if (webBuildIsFresh()) return;
    execFileSync('npm', ['run', 'build', '--silent', '-w', '@crewdeck/web', '--', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
