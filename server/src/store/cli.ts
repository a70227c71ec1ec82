import { parseArgs } from 'node:util';
import { Store } from './store.ts';

/** `npm run store -- --port 27017 --dbpath ./data/db`: the embedded store on its own, for any MongoDB client. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    dbpath: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const store = new Store({ dbpath: values.dbpath });
const port = await store.listen(Number(values.port), values.host);
console.log(
  `crewdeck embedded store listening on mongodb://${values.host}:${port}/ (${values.dbpath ? `data in ${values.dbpath}` : 'memory only'})`,
);
const stop = async () => {
  await store.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
