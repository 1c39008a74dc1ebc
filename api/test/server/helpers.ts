/** Small helpers shared by the tests of the server's parts (test/server/*.test.ts). */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface CapturedLogs {
  logger: Logger;
  /** Every line written, as written (for leak checks on the raw text). */
  lines: string[];
  /** The lines parsed as JSON. */
  records(): Record<string, unknown>[];
}

/** A pino logger writing into an array, as test/support/test-app.ts captures the server's logs. */
export function captureLogs(level = 'info'): CapturedLogs {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines, records: () => lines.map((line) => JSON.parse(line)) };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The request target exactly as written (no URL normalization of `..` or `%2e`), instead of the URL's. */
  rawPath?: string;
}

/**
 * One HTTP request over a real socket with node:http, which (unlike fetch) shows every response
 * header as sent, `connection` included. A fresh connection per request (no agent).
 */
export function send(url: string, { method = 'GET', headers = {}, body, rawPath }: SendOptions = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const options = {
      host: target.hostname,
      port: target.port,
      path: rawPath ?? `${target.pathname}${target.search}`,
      method,
      headers,
      agent: false,
    };
    const req = httpRequest(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A promise with its resolve function, for holding a handler or a lock open until the test says so. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Whether `promise` settles within `ms` (it keeps running either way). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
