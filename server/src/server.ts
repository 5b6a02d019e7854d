// Starts Parley: open the database, migrate, make sure #general exists, listen.
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { InProcessBus, type EventBus } from './events/bus.js';
import { openFileStore } from './files/open.js';
import { ensureGeneral } from './actions/workspace.js';
import { sweepAbandonedUploads } from './actions/files.js';
import { sweepSignInThrottles } from './actions/sign-in-throttle.js';
import { startLdapSyncTimer } from './actions/sso-ldap.js';
import { smtpMailer } from './mail/mailer.js';
import type { Deps } from './actions/context.js';
import { PreviewQueue } from './previews/queue.js';
import { AnomalyDetector } from './security/anomalies.js';
import { buildApp, type Realtime } from './app.js';
import type { App } from './routes/plumbing.js';

export interface RunningServer {
  app: App;
  url: string;
  deps: Deps;
  database: DatabaseHandle;
  realtime: Realtime;
  close(): Promise<void>;
}

export function makeLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

/** Opens the database (migrating it) and returns the pieces every entry point needs. */
export async function openDeps(config: Config, log: Logger, bus: EventBus = new InProcessBus()): Promise<{ deps: Deps; database: DatabaseHandle }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ migrations: applied }, 'database migrated');
  const deps: Deps = {
    db: database.db, bus, config, log,
    presence: { statusOf: () => 'offline', snapshot: () => ({}) },
    files: await openFileStore(config),
    mailer: smtpMailer(config, log),
  };
  await ensureGeneral(deps);
  return { deps, database };
}

export async function startServer(config: Config, logger: Logger = makeLogger(config)): Promise<RunningServer> {
  const { deps, database } = await openDeps(config, logger);
  deps.previews = new PreviewQueue(4, logger);
  deps.security = new AnomalyDetector(deps);
  const { app, realtime } = await buildApp(deps, logger);
  // Uploads never sent with a message are removed after a day; checked hourly.
  const sweep = setInterval(() => {
    sweepAbandonedUploads(deps).catch((err) => logger.warn({ err }, 'sweeping abandoned uploads failed'));
    sweepSignInThrottles(deps).catch((err) => logger.warn({ err }, 'sweeping sign-in counts failed'));
  }, 60 * 60 * 1000).unref();
  const stopLdapSync = startLdapSyncTimer(deps);
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    stopLdapSync();
    deps.mailer?.close();
    await deps.previews?.close();
    await database.close();
    await deps.files.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `${config.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, database: database.kind }, `Parley is listening on ${url}`);
  return { app, url, deps, database, realtime, close: () => app.close() };
}
