// Builds the web app (web/build/handler.js, mounted by the server) when it is missing or
// older than anything it is built from. Used by the e2e tests before they start the server.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

export function ensureWebBuild(): void {
  if (webBuildIsFresh()) return;
  execFileSync('npm', ['run', 'build', '--silent', '-w', '@crewdeck/web', '--', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
