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
}

export function createAttemptLimiter(perMinute: number, redis?: Redis): AttemptLimiter {
  const options = { keyPrefix: 'kindred-attempts', points: perMinute, duration: 60 };
  const limiter = redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options);
  return {
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
