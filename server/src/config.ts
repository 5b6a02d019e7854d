// One typed config object, read from the environment once at start and validated there,
// so a bad value stops the server with a sentence instead of failing later at random.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** postgres://... for a real PostgreSQL; null runs embedded PGlite under dataDir. */
  databaseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  maxMessageLength: number;
  /** `@channel`/`@here` in a channel with more members than this needs `confirmChannelMention`. */
  channelMentionConfirmThreshold: number;
  sessionTtlDays: number;
  passwordMinLength: number;
  /** argon2id cost; lowered only by tests and benchmarks that create thousands of users. */
  argon2: { memoryCost: number; timeCost: number };
  rateLimit: { enabled: boolean; perMinute: number; authPerMinute: number };
  trustProxy: boolean;
  /** How long a dropped WebSocket's stream is kept for resume, and how many events it holds. */
  resume: { ttlSeconds: number; maxEvents: number };
  /** Away after this long without activity; offline this long after the last socket closes. */
  presence: { awayAfterMs: number; offlineGraceMs: number };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${key} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, key: string, def: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${env[key]}"`);
}

function url(env: Env, key: string, def: string | null, protocols: string[]): string | null {
  const raw = env[key]?.trim();
  if (!raw) return def;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${key} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${key} must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${raw}"`);
  }
  return raw.replace(/\/$/, '');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const port = int(env, 'PARLEY_PORT', 8080, 0, 65535);
  const host = env.PARLEY_HOST?.trim() || '127.0.0.1';
  const logLevel = (env.PARLEY_LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`PARLEY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const config: Config = {
    port,
    host,
    publicUrl: url(env, 'PARLEY_PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:'])!,
    dataDir: path.resolve(env.PARLEY_DATA_DIR?.trim() || './data'),
    databaseUrl: url(env, 'PARLEY_DATABASE_URL', null, ['postgres:', 'postgresql:']),
    logLevel,
    maxMessageLength: int(env, 'PARLEY_MAX_MESSAGE_LENGTH', 40_000, 1, 1_000_000),
    channelMentionConfirmThreshold: int(env, 'PARLEY_CHANNEL_MENTION_CONFIRM_THRESHOLD', 25, 0, 1_000_000),
    sessionTtlDays: int(env, 'PARLEY_SESSION_TTL_DAYS', 30, 1, 3650),
    passwordMinLength: int(env, 'PARLEY_PASSWORD_MIN_LENGTH', 12, 8, 1024),
    argon2: {
      memoryCost: int(env, 'PARLEY_ARGON2_MEMORY_KIB', 19_456, 1024, 4_194_304),
      timeCost: int(env, 'PARLEY_ARGON2_TIME_COST', 2, 1, 100),
    },
    rateLimit: {
      enabled: bool(env, 'PARLEY_RATE_LIMIT', true),
      perMinute: int(env, 'PARLEY_RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
      authPerMinute: int(env, 'PARLEY_RATE_LIMIT_AUTH_PER_MINUTE', 20, 1, 10_000_000),
    },
    trustProxy: bool(env, 'PARLEY_TRUST_PROXY', false),
    resume: {
      ttlSeconds: int(env, 'PARLEY_RESUME_TTL_SECONDS', 120, 1, 86_400),
      maxEvents: int(env, 'PARLEY_RESUME_MAX_EVENTS', 1000, 10, 1_000_000),
    },
    presence: {
      awayAfterMs: int(env, 'PARLEY_PRESENCE_AWAY_SECONDS', 600, 1, 86_400) * 1000,
      offlineGraceMs: int(env, 'PARLEY_PRESENCE_OFFLINE_GRACE_MS', 5000, 0, 600_000),
    },
  };
  return { ...config, ...overrides };
}
