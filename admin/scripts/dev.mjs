/**
 * `pnpm dev` (root): the API on API_PORT (default 4000) and vite's dev server with hot reload on
 * 5173, proxying /graphql to the API so the session cookie stays same-origin. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';

const apiPort = process.env.API_PORT ?? '4000';
// Each child leads its own process group, so stopping it stops what pnpm started under it too.
const run = (args, env) => spawn('pnpm', args, { stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
const children = [
  run(['--filter', '@kindred/api', 'start'], { PORT: apiPort }),
  run(['--filter', '@kindred/admin', 'dev'], { KINDRED_API_URL: `http://127.0.0.1:${apiPort}` }),
];

let stopping = false;
let asked = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    asked = true;
    stop(signal);
  });
}
for (const child of children) {
  child.on('exit', (code) => {
    // One of them stopping on its own (a crash) stops the other and reports its code.
    if (!asked && !process.exitCode) process.exitCode = code ?? 1;
    stop('SIGTERM');
  });
}
