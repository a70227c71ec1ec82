import { startServer } from './app.ts';
import { DatabaseDeploymentError } from './db.ts';

/** Process entry: configuration from the environment, graceful shutdown on signals. */
const env = process.env;
const server = await startServer({
  port: env.PORT ? Number(env.PORT) : 3000,
  host: env.HOST || undefined,
  dataDir: env.DATA_DIR ?? './data',
  mongoUri: env.MONGODB_URI || undefined,
  adminLogin: env.ADMIN_EMAIL || undefined,
  adminPassword: env.ADMIN_PASSWORD || undefined,
  trustedOrigins: env.TRUSTED_ORIGINS
    ? env.TRUSTED_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    : [],
  redisUrl: env.REDIS_URL || undefined,
  publicUrl: env.PUBLIC_URL || undefined,
  secretKey: env.CREWDECK_SECRET_KEY || undefined,
  trustProxy:
    env.TRUST_PROXY === undefined
      ? false
      : /^\d+$/.test(env.TRUST_PROXY)
        ? Number(env.TRUST_PROXY)
        : env.TRUST_PROXY === 'true' || env.TRUST_PROXY,
}).catch((error: unknown) => {
  // A database Crewdeck cannot run on is a configuration problem: say what to do, not where it threw.
  if (!(error instanceof DatabaseDeploymentError)) throw error;
  console.error(`[crewdeck] cannot start: ${error.message}`);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[crewdeck] ${signal}: shutting down`);
  try {
    await server.close();
    process.exit(0);
  } catch (error) {
    console.error('[crewdeck] shutdown failed', error);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
