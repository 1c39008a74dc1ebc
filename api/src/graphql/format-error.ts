import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, KindredError, TOP_LEVEL_CODES } from './errors.js';

/** Apollo's own request-level codes, all of which mean "the request itself is wrong". */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * What of an unexpected error may be logged: its class, SQLSTATE and constraint — never its
 * message or detail, which for a database error can quote the row (and so an identifier).
 */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; constraint?: unknown; table?: unknown; originalError?: unknown };
  const origin = e.originalError instanceof Error ? e.originalError : e;
  const o = origin as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  return {
    name: o.name,
    sqlState: typeof o.code === 'string' ? o.code : undefined,
    constraint: o.constraint,
    table: o.table,
    frames: o.stack
      ?.split('\n')
      .slice(1, 8)
      .map((l) => l.trim()),
  };
}

/** Inner messages of graphql-js input errors that name no value, kept as they are. */
const VALUE_FREE = [
  /^Field "[^"]+" of required type "[^"]+" was not provided\.$/,
  /^Field "[^"]+" is not defined by type "[^"]+"\./,
  /^Expected non-nullable type "[^"]+" not to be null\.$/,
  /^Expected type "[^"]+" to be an object\.$/,
];

/** What is wrong with a value, without the value ("Int cannot represent non-integer value: 4.5"). */
function withoutValue(inner: string): string {
  if (VALUE_FREE.some((pattern) => pattern.test(inner))) return inner;
  const enumValue = /^Value "(?:[^"\\]|\\.)*" does not exist in ("\w+" enum\.)/.exec(inner);
  if (enumValue) return `The value does not exist in ${enumValue[1]}`;
  const scalar =
    /^((?:Enum "\w+"|\w+) cannot represent(?: value| (?:a )?non[- ](?:integer|32-bit signed integer|numeric|string|boolean|enum|string and non-integer) value)?)/.exec(
      inner,
    );
  if (scalar) return `${scalar[1]}${scalar[1]!.endsWith('value') ? '' : ' this value'}.`;
  return 'The value does not fit its type.';
}

const INVALID_VARIABLE =
  /^Variable "(\$\w+)" got invalid value [\s\S]*?(?: at "([\w.[\]]+)")?; (?=Field "|Expected |Value "|(?:Enum "\w+"|\w+) cannot represent)([\s\S]*)$/;

/**
 * graphql-js quotes the offending value in its input errors ("got invalid value { email: … }",
 * 'found String "…"', "cannot represent …: 42"). A submitted value may be a member's personal
 * identifier, which not even the partner that submitted it may read back (docs/personal-identifiers.md): errors
 * about input name the place and the expected type, never the value.
 */
function withoutSubmittedValues(message: string): string {
  if (message.startsWith('Variable "$') && message.includes(' got invalid value ')) {
    const match = INVALID_VARIABLE.exec(message);
    const name = /^Variable "(\$\w+)"/.exec(message)?.[1] ?? '';
    if (!match) return `Variable "${name}" got an invalid value.`;
    const where = match[2] ? ` at "${match[2]}"` : '';
    return `Variable "${name}" got an invalid value${where}: ${withoutValue(match[3]!)}`;
  }
  // A literal that a scalar or enum refuses while validating the document.
  if (/^(?:Value "|(?:Enum "\w+"|\w+) cannot represent )/.test(message)) return withoutValue(message);
  const literal = /^(Expected value of type "[^"]+"), found [\s\S]*$/.exec(message);
  if (literal) return `${literal[1]}, found a value that does not fit it.`;
  if (message.startsWith('Syntax Error:')) return message.replace(/\b(String|BlockString|Int|Float|Name) "(?:[^"\\]|\\.)*"/g, '$1');
  return message;
}

/**
 * Narrows every error to the closed set of codes (docs/graphql-conventions.md): Apollo's request codes become
 * BAD_USER_INPUT (the original kept as `reason`); anything unexpected becomes an opaque
 * INTERNAL_SERVER_ERROR and is logged without its message.
 */
export function formatErrorWith(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    // INTERNAL_SERVER_ERROR is also what Apollo stamps on any unknown error: keep its message
    // only when Kindred raised it on purpose.
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const deliberate = original instanceof KindredError || code !== ErrorCode.INTERNAL_SERVER_ERROR;
    if (deliberate && typeof code === 'string' && TOP_LEVEL_CODES.has(code)) {
      const reason = formatted.extensions?.reason;
      const message = code === ErrorCode.BAD_USER_INPUT ? withoutSubmittedValues(base.message) : base.message;
      return { ...base, message, extensions: reason ? { code, reason } : { code } };
    }
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      return { ...base, message: withoutSubmittedValues(base.message), extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    logger.error({ err: safeErrorFields(error), path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Something went wrong on our side. It has been logged; please try again.',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
