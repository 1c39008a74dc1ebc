/**
 * Seeds a freshly migrated, empty Kindred database and prints the SeedResult as JSON:
 *
 *     node --import @swc-node/register/esm-register src/seed/cli.ts <database-url> [--scale 1] [--check]
 *
 * `--check` then verifies the seat and lifecycle invariants (check.ts) and fails if one breaks.
 */
import { checkSeededDatabase } from './check.js';
import { seedBenchDatabase } from './index.js';

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--scale');
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
if (!url || !(scale > 0)) {
  process.stderr.write('usage: cli.ts <database-url> [--scale 1] [--check]\n');
  process.exit(2);
}

const result = await seedBenchDatabase(url, { scale });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (args.includes('--check')) {
  const failures = await checkSeededDatabase(url);
  if (Object.keys(failures).length > 0) {
    process.stderr.write(`seed: invariants broken: ${JSON.stringify(failures)}\n`);
    process.exit(1);
  }
  process.stderr.write('seed: all invariants hold\n');
}
