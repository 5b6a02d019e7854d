// The `parley` command: serve, migrate, and account administration.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config.js';
import { AppError } from './errors.js';
import { makeLogger, openDeps, startServer } from './server.js';
import { doSignup } from './actions/auth.js';
import { doAdminUpdateUser, doResetPassword } from './actions/users.js';
import { CLI_CLIENT } from './actions/audit.js';
import { findUserByLogin, insertUser, countUsers } from './store/users.js';
import { hashPassword } from './auth/passwords.js';
import { newId } from './ids.js';
import * as channels from './store/channels.js';
import { importCommand } from './import/cli.js';

const USAGE = `Usage: parley <command>

Commands:
  serve                                   Start the server (what npm start runs)
  migrate                                 Apply database migrations and exit
  user create --username U --email E [--password P] [--admin] [--display-name N]
                                          Create an account (prints a generated password if none given)
  user reset-password <username|email> [--password P]
                                          Set a new password and end the user's sessions
  user deactivate <username|email>        Deactivate an account and end its sessions
  import slack <export.zip> [--report report.json] [--dry-run]
                                          Import a Slack export (resumable; run again to continue)

Configuration comes from the environment: PARLEY_PORT, PARLEY_HOST, PARLEY_DATA_DIR,
PARLEY_DATABASE_URL, PARLEY_PUBLIC_URL, PARLEY_LOG_LEVEL, ... (see README.md).`;

function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}

async function withDeps<T>(config: Config, fn: (deps: Awaited<ReturnType<typeof openDeps>>['deps']) => Promise<T>): Promise<T> {
  const log = makeLogger({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const { deps, database } = await openDeps(config, log);
  try {
    return await fn(deps);
  } finally {
    await database.close();
  }
}

async function userCommand(config: Config, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' },
      'display-name': { type: 'string' }, admin: { type: 'boolean', default: false },
    },
  });
  if (sub === 'create') {
    if (!values.username || !values.email) throw new AppError(400, 'invalid_request', 'user create needs --username and --email.');
    const password = values.password ?? generatedPassword();
    return withDeps(config, async (deps) => {
      // The first account becomes admin through the normal sign-up path; later ones are made directly.
      if ((await countUsers(deps.db)) === 0) {
        await doSignup(deps, { username: values.username!, email: values.email!, password, displayName: values['display-name'] },
          { userAgent: 'parley-cli', ip: 'cli' });
      } else {
        const user = await insertUser(deps.db, {
          id: newId(), username: values.username!, email: values.email!, display_name: values['display-name'] ?? values.username!,
          password_hash: await hashPassword(password, config), role: values.admin ? 'admin' : 'member',
        });
        const general = await channels.findGeneral(deps.db);
        const latest = general ? await channels.latestTopLevel(deps.db, general.id) : undefined;
        if (general) await channels.addMembers(deps.db, general.id, [user.id], 'member', { seq: latest?.seq ?? 0, messageId: latest?.id ?? null });
      }
      console.log(`Created ${values.username}${values.password ? '' : ` with password: ${password}`}`);
      return 0;
    });
  }
  const login = positionals[0];
  if (!login) throw new AppError(400, 'invalid_request', `user ${sub ?? ''} needs a username or email.`);
  if (sub === 'reset-password') {
    const password = values.password ?? generatedPassword();
    return withDeps(config, async (deps) => {
      const user = await doResetPassword(deps, login, password);
      console.log(`New password for ${user.username}${values.password ? ' set' : `: ${password}`}; their sessions were ended.`);
      return 0;
    });
  }
  if (sub === 'deactivate') {
    return withDeps(config, async (deps) => {
      const user = await findUserByLogin(deps.db, login);
      if (!user) throw new AppError(404, 'not_found', `No user ${login}.`);
      // The CLI acts as a system admin, so it uses a synthetic admin actor.
      await doAdminUpdateUser(deps, { ...user, id: 'cli', username: 'parley-cli', role: 'admin' }, user.id, { deactivated: true }, CLI_CLIENT);
      console.log(`Deactivated ${user.username}; their sessions were ended.`);
      return 0;
    });
  }
  console.error(USAGE);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      const stop = async (signal: string) => {
        server.app.log.info(`received ${signal}, shutting down`);
        await server.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      return -1;
    }
    case 'migrate':
      return withDeps(config, async () => {
        console.log('Database is up to date.');
        return 0;
      });
    case 'user':
      return userCommand(config, rest);
    case 'import':
      return withDeps(config, (deps) => importCommand(deps, rest));
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
    else if (err instanceof AppError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
