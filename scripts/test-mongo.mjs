// `npm run test:mongo`: the whole suite against a real MongoDB (MONGODB_URI must be set).
import { spawnSync } from 'node:child_process';

if (!process.env.MONGODB_URI) {
  console.error(
    'test:mongo needs MONGODB_URI, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0 npm run test:mongo',
  );
  process.exit(2);
}
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
