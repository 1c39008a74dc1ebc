import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Requests are logged by method, route and status only — never the query
 * string, body or variables, which can carry personal identifiers; the redact list is a second
 * line of defence for anything that slips into a log object.
 */
/** What of a request is ever logged: its id, method and route pattern (never the URL or a header). */
export function requestFields(req: { method: string; routeOptions?: { url?: string }; id: string }) {
  return { id: req.id, method: req.method, route: req.routeOptions?.url };
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  // Writes are asynchronous, so a slow log pipe (a collector that reads late) never stalls
  // requests on the event loop; pino flushes on exit and main.ts flushes on shutdown.
  const destination = pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level,
      base: { service: 'kindred-api' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.authorization',
          '*.password',
          '*.token',
          '*.secret',
          '*.variables',
          '*.legalName',
          '*.email',
          '*.phone',
          '*.dateOfBirth',
          '*.emergencyContact',
          '*.typedName',
        ],
        censor: '[redacted]',
      },
      serializers: { req: requestFields, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    },
    destination,
  );
}
