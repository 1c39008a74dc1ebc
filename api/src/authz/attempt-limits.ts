import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, KindredError } from '../graphql/errors.js';

/**
 * Throttles attempts that can be used to guess: signing in (per client address and per email)
 * and anonymous self-registration (per client address, since its EMAIL_TAKEN answer would
 * otherwise let anyone test many addresses for membership). Shared through Redis when several
 * API processes run, in-process otherwise — like the request rate limit.
 */
export interface AttemptLimiter {
  /** Counts one attempt against every key; RATE_LIMITED when any is over its budget. */
  consume(keys: string[]): Promise<void>;
  /**
   * Whether a notice to `key` may go out now: at most one per hour per key (a mail to an address
   * that someone keeps trying to register with). Never an error: a throttled notice is skipped.
   */
  allowNotice(key: string): Promise<boolean>;
}

/** Notices to one address: one an hour. */
const NOTICE_WINDOW_SECONDS = 3600;

export function createAttemptLimiter(perMinute: number, redis?: Redis): AttemptLimiter {
  const limiterOf = (keyPrefix: string, points: number, duration: number) =>
    redis
      ? new RateLimiterRedis({ keyPrefix, points, duration, storeClient: redis })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  const limiter = limiterOf('kindred-attempts', perMinute, 60);
  const notices = limiterOf('kindred-notices', 1, NOTICE_WINDOW_SECONDS);
  return {
    async allowNotice(key) {
      try {
        await notices.consume(key);
        return true;
      } catch (error) {
        if (error instanceof RateLimiterRes) return false;
        throw error;
      }
    },
    async consume(keys) {
      try {
        await Promise.all(keys.map((key) => limiter.consume(key)));
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new KindredError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${Math.ceil(error.msBeforeNext / 1000)} s.`);
      }
    },
  };
}
