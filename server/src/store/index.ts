export { Store, type StoreOptions } from './store.ts';
export { STORE_VERSION } from './commands/admin.ts';
