/**
 * The PostGraphile 5 peer as a standalone process: `DATABASE_URL` and `PORT` from the
 * environment (optional `HOST`, default 127.0.0.1), POST /graphql, prints `listening <port>` on
 * stdout once the schema is built and the port is bound, exits cleanly on SIGTERM/SIGINT.
 *
 *   node --import @swc-node/register/esm-register src/peer/server.ts      (from packages/bench)
 *
 * Expects schema.sql applied to the database first. Only the polyfill is imported statically:
 * PostGraphile is loaded after it, with a dynamic import, whatever an import sorter does.
 */
import './polyfill.js';
import { createServer } from 'node:http';

const connectionString = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 4100);
const host = process.env.HOST ?? '127.0.0.1';
if (!connectionString) {
  console.error('DATABASE_URL is required');
  process.exit(1);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT is not a port number: ${process.env.PORT}`);
  process.exit(1);
}

const { postgraphile } = await import('postgraphile');
const { grafserv } = await import('postgraphile/grafserv/node');
const { makePeerPreset } = await import('./preset.js');

const preset = makePeerPreset({ connectionString, poolSize: 10 });
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
await serv.addTo(server, false);
// Build (introspect) the schema now, so the first timed request does not pay for it.
await pgl.getSchema();

await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, host, () => resolve());
});
const address = server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : port}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  force.unref();
  try {
    await closed;
    await pgl.release();
    for (const service of preset.pgServices ?? []) await service.release?.();
    process.exit(0);
  } catch (error) {
    console.error(`error while stopping on ${signal}:`, error);
    process.exit(1);
  }
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
