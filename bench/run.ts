// `npm run bench -- <name> [flags]`: runs one benchmark. Benchmarks measure, they do not
// pass or fail; each prints its figures and a summary block, then exits by itself.
import { cleanupAndExit, installCleanup } from './lib/children.ts';
import { isUsageError } from './lib/usage.ts';

const BENCHMARKS: Record<string, { about: string; load: () => Promise<{ main(argv: string[]): Promise<void> }> }> = {
  fanout: {
    about: 'Parley vs a bare ws broadcast server: posts/s, deliveries/s, post-to-delivery latency, memory per connection',
    load: () => import('./fanout.ts'),
  },
  search: {
    about: 'Full-text search over 1M generated messages (--messages up to 10M): p50/p95/p99 by kind of query, database size',
    load: () => import('./search.ts'),
  },
  import: {
    about: 'Slack import: generates a 1M-message export (--messages), imports it into PostgreSQL, prints messages/s and peak memory',
    load: () => import('./import.ts'),
  },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS).map(([n, b]) => `  ${n.padEnd(10)} ${b.about}`).join('\n');
  return `Usage: npm run bench -- <name> [--help] [flags]\n\nBenchmarks:\n${names}`;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const bench = BENCHMARKS[name];
if (!bench) {
  console.error(`Unknown benchmark "${name}".\n\n${usage()}`);
  process.exit(2);
}
installCleanup();
try {
  await (await bench.load()).main(rest);
  await cleanupAndExit(0);
} catch (err) {
  if (isUsageError(err)) {
    console.error(`${err.message}\n(npm run bench -- ${name} --help lists the flags)`);
    await cleanupAndExit(2);
  }
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  await cleanupAndExit(1);
}
