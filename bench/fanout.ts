// `npm run bench -- fanout`: how fast Parley delivers posted messages to many connected
// clients, compared with a bare `ws` broadcast server on the same machine and load.
//
// Phases, all against Parley running as a child process on a fresh PostgreSQL database:
//   memory      RSS at a fresh start, idle before clients connect, and after N idle connections
//   saturation  `concurrency` posts in flight for `seconds` into an N-member channel with
//               every member connected: posts/s, deliveries/s, post-to-delivery latency
//   steady      `rate` posts/s on a timer into a `steady-members`-member channel (the issue's
//               latency target), all members connected
// then the same saturation run against bench/bare-ws-server.ts, and Parley's deliveries/s as
// a ratio of that ceiling. The load generator (this process) and each server run in
// separate processes so they do not share a CPU thread; on a small machine they still share
// cores with each other and with PostgreSQL, which the CPU figures printed per phase show.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Child, freePort, machineCpu, onCleanup, readCpuMs, sleep, startNodeChild, waitForHttp } from './lib/children.ts';
import { PgObserver, createBenchDatabase } from './lib/db.ts';
import { Fleet, Tracker, benchText } from './lib/fleet.ts';
import { JsonClient, mapConcurrent } from './lib/http.ts';
import { heapDiff } from './lib/heap.ts';
import { summarizeProfile } from './lib/profile.ts';
import { UsageError } from './lib/usage.ts';
import { type Target, memLine, printRun, readMemory, saturate, steady } from './lib/phases.ts';
import { cpuLine } from './lib/cpu.ts';
import { type LatencySummary, Samples, fmtInt, fmtMb, fmtMs, fmtRate, latencyLine, mb } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'bench password, long enough';

const HELP = `Usage: npm run bench -- fanout [flags]

  --clients N          WebSocket clients and members of the saturation channel (default 1000)
  --seconds S          length of the saturation run, and of the steady run unless
                       --steady-seconds is given (default 10)
  --concurrency C      HTTP posts in flight during saturation (default 8)
  --posters P          users posting during saturation, sharing the concurrency (default 4)
  --text-bytes B       message text length (default 200)
  --steady-members M   members (all connected) of the steady-rate channel (default 100)
  --rate R             posts per second in the steady run (default 200)
  --steady-seconds S   length of the steady run (default: --seconds)
  --profile            CPU-profile Parley during saturation and steady, and sample what
                       its PostgreSQL backends wait on (slows it down; figures from a
                       profiled run are not comparable)
  --heap-snapshot      heap snapshots of Parley before and after the clients connect, and
                       what the connections added, by kind of object
  --no-build           do not run \`npx tsc -b server\` first

Environment: PARLEY_BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
Other PARLEY_* variables are passed on to the server.`;

interface Options {
  clients: number;
  seconds: number;
  concurrency: number;
  posters: number;
  textBytes: number;
  steadyMembers: number;
  rate: number;
  steadySeconds: number;
  profile: boolean;
  heapSnapshot: boolean;
  build: boolean;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string' }, seconds: { type: 'string' }, concurrency: { type: 'string' },
      posters: { type: 'string' }, 'text-bytes': { type: 'string' }, 'steady-members': { type: 'string' },
      rate: { type: 'string' }, 'steady-seconds': { type: 'string' }, profile: { type: 'boolean', default: false },
      'heap-snapshot': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const num = (key: keyof typeof values, def: number, min: number, max: number) => {
    const raw = values[key];
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${key} must be a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const seconds = num('seconds', 10, 1, 600);
  return {
    clients: Math.round(num('clients', 1000, 2, 100_000)),
    seconds,
    concurrency: Math.round(num('concurrency', 8, 1, 1000)),
    posters: Math.round(num('posters', 4, 1, 1000)),
    textBytes: Math.round(num('text-bytes', 200, 16, 40_000)),
    steadyMembers: Math.round(num('steady-members', 100, 2, 100_000)),
    rate: num('rate', 200, 1, 100_000),
    steadySeconds: num('steady-seconds', seconds, 1, 600),
    profile: values.profile!,
    heapSnapshot: values['heap-snapshot']!,
    build: !values['no-build'],
  };
}

// ---------------------------------------------------------------------------------------
// Parley

interface Seeded {
  adminToken: string;
  users: Array<{ id: string; token: string }>;
  fanoutChannelId: string;
  steadyChannelId: string;
}

async function seed(http: JsonClient, userCount: number, fanoutMembers: number, steadyMembers: number): Promise<Seeded> {
  const admin = await http.must(201, 'POST', '/api/v1/auth/signup', { username: 'bench_admin', email: 'bench_admin@example.test', password: PASSWORD });
  await http.must(200, 'PATCH', '/api/v1/workspace', { openSignup: true }, admin.token);
  const indexes = Array.from({ length: userCount - 1 }, (_, i) => i + 1);
  const others = await mapConcurrent(indexes, 16, async (i) => {
    const r = await http.must(201, 'POST', '/api/v1/auth/signup', { username: `bench_u${i}`, email: `bench_u${i}@example.test`, password: PASSWORD });
    return { id: r.user.id as string, token: r.token as string };
  });
  const users = [{ id: admin.user.id as string, token: admin.token as string }, ...others];
  // The admin creates both channels (and so is a member) and adds the others in batches.
  const channel = async (name: string, members: number) => {
    const c = await http.must(201, 'POST', '/api/v1/channels', { name, kind: 'public' }, admin.token);
    const ids = users.slice(1, members).map((u) => u.id);
    for (let i = 0; i < ids.length; i += 500) {
      await http.must(200, 'POST', `/api/v1/channels/${c.id}/members`, { userIds: ids.slice(i, i + 500) }, admin.token);
    }
    return c.id as string;
  };
  return {
    adminToken: admin.token,
    users,
    fanoutChannelId: await channel('bench-fanout', fanoutMembers),
    steadyChannelId: await channel('bench-steady', steadyMembers),
  };
}

function startParley(port: number, databaseUrl: string, dataDir: string): Child {
  const env = {
    ...process.env,
    PARLEY_PORT: String(port),
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PARLEY_DATABASE_URL: databaseUrl,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_RATE_LIMIT: 'false',
    // The auth routes carry their own limit, which PARLEY_RATE_LIMIT=false leaves on.
    PARLEY_RATE_LIMIT_PER_MINUTE: '10000000',
    PARLEY_RATE_LIMIT_AUTH_PER_MINUTE: '10000000',
    PARLEY_ARGON2_MEMORY_KIB: '1024',
    PARLEY_ARGON2_TIME_COST: '1',
  };
  return startNodeChild('parley', [], path.join('server', 'dist', 'main.js'), ['serve'], env, ROOT);
}

const step = (s: string) => console.log(`· ${s}`);

// ---------------------------------------------------------------------------------------

export async function main(argv: string[]): Promise<void> {
  const o = parseOptions(argv);
  if (!o) {
    console.log(HELP);
    return;
  }
  const started = performance.now();
  const userCount = Math.max(o.clients, o.steadyMembers);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  onCleanup(async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const profileDir = o.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-profile-')) : null;

  console.log(`fanout: ${o.clients} clients, saturation ${o.seconds} s at concurrency ${o.concurrency} from ${o.posters} posters, ` +
    `steady ${o.rate} posts/s for ${o.steadySeconds} s into ${o.steadyMembers} members, ${o.textBytes}-byte texts`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${fmtMb(os.totalmem())} RAM, node ${process.version}`);

  const m0 = machineCpu();
  await sleep(1000);
  const m1 = machineCpu();
  const background = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * os.cpus().length;
  console.log(`background load before start: ${background.toFixed(2)}/${os.cpus().length} cores busy`);

  const db = await createBenchDatabase();
  onCleanup(() => db.drop());
  const pgObs = new PgObserver(db.adminUrl, db.name);
  onCleanup(() => pgObs.close());
  step(`database ${db.name} (PostgreSQL ${db.serverVersion})`);

  let buildWarning: string | null = null;
  if (o.build) {
    step('building the server (npx tsc -b server)');
    try {
      execFileSync('npx', ['tsc', '-b', 'server'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      // tsc still emits JavaScript on type errors; a type error is not a reason to skip a measurement.
      if (!fs.existsSync(path.join(ROOT, 'server', 'dist', 'main.js'))) throw new Error('npx tsc -b server failed and server/dist/main.js does not exist');
      buildWarning = 'npx tsc -b server reported errors (see above); the JavaScript it emitted was benchmarked';
      step(`WARNING: ${buildWarning}`);
    }
  }

  // --- Parley ---------------------------------------------------------------------------
  const port = await freePort();
  const parley = startParley(port, db.url, tmp);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/api/v1/workspace`, 60_000, parley);
  step(`Parley pid ${parley.pid} on ${base}`);
  await sleep(2000);
  const memFresh = await readMemory(parley);
  step(`fresh start: ${memLine(memFresh)}`);

  const http = new JsonClient(base, 128);
  let t = performance.now();
  const seeded = await seed(http, userCount, o.clients, o.steadyMembers);
  const seedSeconds = (performance.now() - t) / 1000;
  step(`seeded ${userCount} users and 2 channels in ${seedSeconds.toFixed(1)} s`);

  await sleep(2000);
  const memIdle = await readMemory(parley);
  step(`idle, before clients connect: ${memLine(memIdle)}`);
  const snapshots = o.heapSnapshot ? [path.join(tmp, 'before-clients.heapsnapshot'), path.join(tmp, 'with-clients.heapsnapshot')] : null;
  if (snapshots) await parley.heapSnapshot(snapshots[0]!);

  const tracker = new Tracker();
  const fleet = new Fleet(`${base.replace(/^http/, 'ws')}/api/v1/ws`, tracker);
  t = performance.now();
  await fleet.connect(seeded.users.map((u) => u.token));
  const connectSeconds = (performance.now() - t) / 1000;
  const settle = await fleet.quiet(1000, 60_000);
  const connectFrames = fleet.frames;
  step(`${fleet.sockets.length} clients connected in ${connectSeconds.toFixed(1)} s; ` +
    `${fmtInt(connectFrames)} frames (presence) arrived, quiet after ${(settle / 1000).toFixed(1)} s more`);
  await sleep(2000);
  const memConnected = await readMemory(parley);
  const conns = fleet.sockets.length;
  const perThousand = (a: number, b: number) => ((b - a) / conns) * 1000;
  step(`${conns} idle connections: ${memLine(memConnected)}`);
  let heapReport: string | null = null;
  if (snapshots) {
    await parley.heapSnapshot(snapshots[1]!);
    heapReport = heapDiff(snapshots[0]!, snapshots[1]!, conns);
    console.log(heapReport);
  }

  const fanoutTarget: Target = {
    name: 'Parley', http, child: parley, channelId: seeded.fanoutChannelId,
    posterTokens: seeded.users.slice(0, o.posters).map((u) => u.token), members: o.clients, tracker, fleet, pg: pgObs,
  };
  step('warm-up (1 s, not counted)');
  const warm = await saturate(fanoutTarget, 'warm-up', 1, o);
  await fleet.quiet(500, 10_000);
  const template = warm.lastReply;
  if (!template) throw new Error(`warm-up posted nothing: ${warm.firstError}`);
  const parleyFrameBytes = Buffer.byteLength(tracker.sampleFrame ?? '');

  step(`saturation: ${o.concurrency} in flight for ${o.seconds} s into ${o.clients} members`);
  const pgWaits: string[] = [];
  const profileStart = async () => {
    if (!profileDir) return;
    await parley.profileStart();
    pgObs.startSampling();
  };
  const profileStop = async (name: string) => {
    if (!profileDir) return;
    await parley.profileStop(path.join(profileDir, `${name}.cpuprofile`));
    pgWaits.push(`${name}:\n${pgObs.stopSampling()}`);
  };
  await profileStart();
  const parleySat = await saturate(fanoutTarget, 'saturation', o.seconds, o);
  await profileStop('parley-saturation');
  printRun('Parley', parleySat, o.clients);
  await fleet.quiet(1000, 30_000);

  const steadyTarget: Target = {
    ...fanoutTarget, channelId: seeded.steadyChannelId, members: o.steadyMembers,
    posterTokens: seeded.users.slice(0, Math.min(10, o.steadyMembers)).map((u) => u.token),
  };
  step(`steady: ${o.rate} posts/s for ${o.steadySeconds} s into ${o.steadyMembers} members (${conns} connected in all)`);
  await profileStart();
  const parleySteady = await steady(steadyTarget, o.steadySeconds, o.rate, o);
  await profileStop('parley-steady');
  printRun('Parley steady', parleySteady, o.steadyMembers);
  console.log(`    load generator send lag behind schedule: ${latencyLine(parleySteady.sendLag)}`);

  await sleep(1000);
  const memAfter = await readMemory(parley);
  step(`after the runs, ${conns} connections: ${memLine(memAfter)}`);
  const parleyCloses = fleet.unexpectedCloses;
  const parleyStale = tracker.stale;
  fleet.close();
  await parley.stop();

  // --- bare ws baseline --------------------------------------------------------------------
  const barePort = await freePort();
  const bare = startNodeChild('bare-ws', ['--import', 'tsx'], path.join('bench', 'bare-ws-server.ts'), [],
    { ...process.env, BARE_PORT: String(barePort), BARE_TEMPLATE: JSON.stringify(template) }, ROOT);
  const bareBase = `http://127.0.0.1:${barePort}`;
  await waitForHttp(`${bareBase}/health`, 30_000, bare);
  step(`bare ws server pid ${bare.pid} on ${bareBase}`);
  await sleep(1000);
  const bareIdle = await readMemory(bare);
  const bareTracker = new Tracker();
  const bareFleet = new Fleet(`${bareBase.replace(/^http/, 'ws')}/api/v1/ws`, bareTracker);
  t = performance.now();
  await bareFleet.connect(seeded.users.slice(0, o.clients).map((u) => u.token));
  const bareConnectSeconds = (performance.now() - t) / 1000;
  await bareFleet.quiet(1000, 10_000);
  await sleep(2000);
  const bareConnected = await readMemory(bare);
  step(`bare: ${bareFleet.sockets.length} clients connected in ${bareConnectSeconds.toFixed(1)} s; ${memLine(bareConnected)}`);
  const bareHttp = new JsonClient(bareBase, 128);
  const bareTarget: Target = {
    name: 'bare ws', http: bareHttp, child: bare, channelId: seeded.fanoutChannelId,
    posterTokens: fanoutTarget.posterTokens, members: o.clients, tracker: bareTracker, fleet: bareFleet, pg: null,
  };
  step('bare warm-up (1 s, not counted)');
  await saturate(bareTarget, 'warm-up', 1, o);
  await bareFleet.quiet(500, 10_000);
  const bareFrameBytes = Buffer.byteLength(bareTracker.sampleFrame ?? '');
  step(`bare saturation: ${o.concurrency} in flight for ${o.seconds} s into ${o.clients} clients`);
  const bareSat = await saturate(bareTarget, 'saturation', o.seconds, o);
  printRun('bare ws', bareSat, o.clients);
  const bareCloses = bareFleet.unexpectedCloses;
  bareFleet.close();
  bareHttp.close();
  http.close();
  await bare.stop();

  // --- summary ------------------------------------------------------------------------------
  const ratio = parleySat.deliveriesPerSec / bareSat.deliveriesPerSec;
  const costRaw = perThousand(memIdle.rss, memConnected.rss);
  const costGc = perThousand(memIdle.rssAfterGc, memConnected.rssAfterGc);
  const bareCost = ((bareConnected.rssAfterGc - bareIdle.rssAfterGc) / Math.max(1, o.clients)) * 1000;
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const pad = (s: string) => s.padEnd(32);
  const lines = [
    '',
    '==================== fanout summary ====================',
    `${pad('machine')}${os.cpus().length} CPUs, node ${process.version}, PostgreSQL ${db.serverVersion}`,
    `${pad('background load at start')}${background.toFixed(2)} cores busy`,
    `${pad('setup')}${userCount} users seeded in ${seedSeconds.toFixed(1)} s`,
    `${pad('connecting clients')}Parley ${conns} in ${connectSeconds.toFixed(1)} s (${fmtInt(connectFrames)} presence frames), bare ws ${o.clients} in ${bareConnectSeconds.toFixed(1)} s`,
    `${pad('frame size (message.created)')}Parley ${parleyFrameBytes} B, bare ws ${bareFrameBytes} B (text ${o.textBytes} B)`,
    '',
    `saturation: ${o.concurrency} posts in flight for ${o.seconds} s, ${o.clients} members all connected`,
    `${pad('  Parley posts/s')}${fmtRate(parleySat.postsPerSec)}`,
    `${pad('  Parley deliveries/s')}${fmtInt(parleySat.deliveriesPerSec)}`,
    `${pad('  Parley latency')}${latencyLine(parleySat.latency)}`,
    `${pad('  bare ws posts/s')}${fmtRate(bareSat.postsPerSec)}`,
    `${pad('  bare ws deliveries/s')}${fmtInt(bareSat.deliveriesPerSec)}`,
    `${pad('  bare ws latency')}${latencyLine(bareSat.latency)}`,
    `${pad('  ratio Parley / bare ws')}${ratio.toFixed(2)}   (aim ≥ 0.5: ${mark(ratio >= 0.5)})`,
    `${pad('  cpu Parley run')}${cpuLine(parleySat.cpu).slice(5)}`,
    `${pad('  cpu bare ws run')}${cpuLine(bareSat.cpu).slice(5)}`,
    '',
    `steady: ${o.rate} posts/s target for ${o.steadySeconds} s, ${o.steadyMembers} members all connected`,
    `${pad('  achieved posts/s')}${fmtRate(parleySteady.postsPerSec)}${parleySteady.failed ? ` (${parleySteady.failed} failed)` : ''}`,
    `${pad('  deliveries/s')}${fmtInt(parleySteady.deliveriesPerSec)}`,
    `${pad('  latency')}${latencyLine(parleySteady.latency)}   (aim p99 ≤ 50 ms: ${mark(parleySteady.latency.p99 <= 50)})`,
    `${pad('  HTTP post reply')}${latencyLine(parleySteady.http)}`,
    `${pad('  cpu')}${cpuLine(parleySteady.cpu).slice(5)}`,
    '',
    'memory (Parley RSS from /proc/<pid>/status; "after GC" = after a forced full GC; aims checked after GC)',
    `${pad('  fresh start')}${fmtMb(memFresh.rss)} (after GC ${fmtMb(memFresh.rssAfterGc)})`,
    `${pad('  idle, before clients')}${fmtMb(memIdle.rss)} (after GC ${fmtMb(memIdle.rssAfterGc)})   (aim < 100 MB: ${mark(memIdle.rssAfterGc < 100 * 1024 * 1024)})`,
    `${pad(`  with ${conns} idle connections`)}${fmtMb(memConnected.rss)} (after GC ${fmtMb(memConnected.rssAfterGc)}, heap used ${fmtMb(memConnected.heapUsed)})`,
    `${pad('  per 1000 idle connections')}${mb(costGc).toFixed(1)} MB after GC (raw RSS delta ${mb(costRaw).toFixed(1)} MB)   (aim < 10 MB: ${mark(mb(costGc) < 10)})`,
    `${pad('  bare ws per 1000 connections')}${mb(bareCost).toFixed(1)} MB after GC`,
    `${pad('  after the runs')}${fmtMb(memAfter.rss)} (after GC ${fmtMb(memAfter.rssAfterGc)})`,
  ];
  const notes: string[] = [];
  if (buildWarning) notes.push(buildWarning);
  if (background > 0.2) notes.push(`the machine was already ${background.toFixed(2)} cores busy before the benchmark started; figures are lower than on an idle machine`);
  if (parleyCloses) notes.push(`${parleyCloses} Parley client connections closed unexpectedly`);
  if (bareCloses) notes.push(`${bareCloses} bare ws client connections closed unexpectedly`);
  if (parleyStale) notes.push(`${parleyStale} Parley deliveries arrived after their phase ended`);
  for (const [label, r] of [['Parley saturation', parleySat], ['Parley steady', parleySteady], ['bare ws', bareSat]] as const) {
    if (r.delivered < r.expected) notes.push(`${label}: ${fmtInt(r.expected - r.delivered)} deliveries never arrived`);
  }
  if (parleySteady.sendLag.p99 > 5) notes.push(`the load generator fell behind its schedule (send lag p99 ${fmtMs(parleySteady.sendLag.p99)} ms)`);
  if (profileDir) notes.push('profiled run: Parley figures include profiler overhead');
  if (notes.length) lines.push('', 'notes:', ...notes.map((n) => `  - ${n}`));
  lines.push(`total ${((performance.now() - started) / 1000).toFixed(0)} s`, '========================================================');
  console.log(lines.join('\n'));

  if (profileDir) {
    for (const f of fs.readdirSync(profileDir).sort()) {
      console.log('');
      console.log(summarizeProfile(path.join(profileDir, f)));
    }
    for (const w of pgWaits) console.log(`\n${w}`);
  }
  if (heapReport) console.log(`\nwhat ${conns} idle connections added to Parley's heap:\n${heapReport}`);
}
