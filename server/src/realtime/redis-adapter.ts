import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { AppServer } from './types.ts';

/**
 * Puts Socket.IO on the Redis pub/sub adapter so room broadcasts, `socketsJoin/Leave` and
 * `fetchSockets` span every instance. Redis pub/sub does not buffer: while Redis is down
 * broadcasts between instances are lost, and clients recover by resuming from their last seq.
 */
export async function useRedisAdapter(
  io: AppServer,
  url: string,
  log: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', log);
  sub.on('error', log);
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
