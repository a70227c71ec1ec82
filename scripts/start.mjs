// `npm start`: one command from a fresh clone to a running Crewdeck. Plain JS so that it also
// runs on an old Node long enough to install Node 24 and hand over to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (Number(process.versions.node.split('.')[0]) < 22) {
  run('bash', ['scripts/ensure-node.sh']);
  const node = process.getuid?.() === 0 ? '/usr/local/bin/node' : join(homedir(), '.local/crewdeck-node/bin/node');
  const binDir = node.slice(0, node.lastIndexOf('/'));
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH}` };
  const child = spawnSync(node, [join(root, 'scripts/start.mjs')], { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}

const newest = (dir) => {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.svelte-kit', 'build'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
};

const installed = join(root, 'node_modules/.package-lock.json');
if (!existsSync(installed) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  console.log('Installing dependencies (npm ci) ...');
  run('npm', ['ci']);
}

const handler = join(root, 'web/build/handler.js');
if (existsSync(join(root, 'web/package.json'))) {
  const stale =
    !existsSync(handler) ||
    Math.max(newest(join(root, 'web/src')), newest(join(root, 'shared/src'))) > statSync(handler).mtimeMs;
  if (stale) {
    console.log('Building the web app ...');
    run('npm', ['run', 'build', '-w', 'web']);
  }
}

const server = spawn(process.execPath, ['server/src/main.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
