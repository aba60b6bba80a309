import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger';

/** What other parts of the server may do on the adapter's connections: sharded pub/sub. */
export interface RedisPubSub {
  readonly isReady: boolean;
  sPublish(channel: string, message: string): Promise<unknown>;
  sSubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  sUnsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}

export interface RedisAdapterHandle {
  adapter: ReturnType<typeof createShardedAdapter>;
  /** The adapter's connections, shared with the pose relay (server/live/pose-relay.ts). */
  pub: RedisPubSub;
  sub: RedisPubSub;
  close(): Promise<void>;
}

/**
 * Sharded pub/sub (Redis 7): each room gets its own channel, so a process only hears about rooms
 * it has members in. This is how two or more processes serve one clinic.
 */
export async function connectRedisAdapter(
  url: string,
  channelPrefix: string,
  log: Logger,
): Promise<RedisAdapterHandle> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', (err: unknown) => log.warn('redis error', { err: String(err) }));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createShardedAdapter(pub, sub, { channelPrefix }),
    pub,
    sub,
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
