// The Redis connection (PARLEY_REDIS_URL) that shares rate-limit counters between nodes.
// ioredis is loaded only when Redis is configured.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Connects (waiting up to 2 s for the first connection); commands fail at once while Redis is away. */
export async function openRedis(url: string, log: Logger): Promise<Redis> {
  const { Redis: Client } = await import('ioredis');
  // No offline queue: a request must not wait on a Redis that is away; the rate limiter lets
  // it through instead (app.ts), while sign-in lockouts, kept in the database, still hold.
  const redis = new Client(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ reason: err.message }, 'Redis is unreachable; request rate limits are not enforced until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('Redis is reachable again');
    down = false;
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    const done = () => { clearTimeout(timer); resolve(); };
    redis.once('ready', done);
    redis.once('error', done);
  });
  return redis;
}
