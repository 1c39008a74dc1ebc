import { GraphQLError } from 'graphql';

/** The closed set of top-level error codes partners can rely on (docs/graphql-conventions.md). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export const TOP_LEVEL_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A top-level error whose message is safe to show: it never carries a protected value. */
export class KindredError extends GraphQLError {
  constructor(code: ErrorCode, message: string, reason?: string) {
    super(message, { extensions: reason ? { code, reason } : { code } });
  }
}

export const unauthenticated = (message = 'Sign in or send a partner API key to do this.') =>
  new KindredError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this.') => new KindredError(ErrorCode.FORBIDDEN, message);
export const notFound = (what = 'object') => new KindredError(ErrorCode.NOT_FOUND, `No ${what} with this ID.`);
export const badInput = (message: string, reason?: string) => new KindredError(ErrorCode.BAD_USER_INPUT, message, reason);
