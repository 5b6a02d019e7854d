// One typed config object, read from the environment once at start and validated there,
// so a bad value stops the server with a sentence instead of failing later at random.
import path from 'node:path';
import { loadSsoConfig, SsoConfigError, type SsoSettings } from './auth/sso/config.js';
import { HardeningConfigError, loadHardeningConfig, trustedProxies, type HardeningConfig } from './security/hardening-config.js';
import { AlertsConfigError, loadAlertsConfig, type AlertsConfig } from './security/alerts-config.js';

/** Redis, TLS, the admin allowlist and sign-in lockouts come from security/hardening-config.ts. */
export interface Config extends HardeningConfig {
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
  /** A session unused for this long ends; 0 turns the idle timeout off. Tokens for scripts are exempt. */
  sessionIdleMinutes: number;
  passwordMinLength: number;
  /** Search by relevance ranks this many newest matches; older ones follow, newest first (store/search.ts). */
  searchRankWindow: number;
  /** How long a password-reset link from "forgot password" works (admin links choose their own). */
  passwordResetTtlMinutes: number;
  /** smtp://user:pass@host:port or smtps://...; null disables email (password reset by email). */
  smtpUrl: string | null;
  /** The From address of Parley's emails. */
  smtpFrom: string;
  /** Seals TOTP secrets at rest; when unset, a key file is created under dataDir (or a per-process key in memory). */
  secretKey: string | null;
  /** argon2id cost; lowered only by tests and benchmarks that create thousands of users. */
  argon2: { memoryCost: number; timeCost: number };
  rateLimit: { enabled: boolean; perMinute: number; authPerMinute: number };
  /** true trusts X-Forwarded-For from anyone; a comma-separated list only from those proxies' addresses. */
  trustProxy: boolean | string;
  /** How long a dropped WebSocket's stream is kept for resume, and how many events it holds. */
  resume: { ttlSeconds: number; maxEvents: number };
  /** Away after this long without activity; offline this long after the last socket closes. */
  presence: { awayAfterMs: number; offlineGraceMs: number };
  /** Uploaded files: where they are stored, how big they may be, and the at-rest key. */
  files: FilesConfig;
  /** The link-preview fetcher's limits (server/src/previews). */
  linkPreviews: LinkPreviewConfig;
  /** Single sign-on providers from PARLEY_OIDC_*, PARLEY_SAML_*, PARLEY_LDAP_* or PARLEY_SSO_CONFIG (auth/sso/config.ts). */
  sso: SsoSettings;
  /** Security alerts: the webhook and the anomaly thresholds (PARLEY_ALERT_*, security/alerts-config.ts). */
  alerts: AlertsConfig;
}

export interface LinkPreviewConfig {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  maxPerMessage: number;
  /** The page's image is fetched (then re-encoded and stored) only up to this many bytes. */
  maxImageBytes: number;
  /** Lets the fetcher reach 127.0.0.0/8 and ::1. For tests only: no environment variable sets it. */
  allowLoopback: boolean;
}

export interface S3Config {
  /** null uses AWS's own endpoint for the region. */
  endpoint: string | null;
  bucket: string;
  region: string;
  /** Both or neither; neither uses the SDK's default credential chain (env, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
}

export interface FilesConfig {
  /** disk keeps files under dataDir/files (a temporary folder when the data dir is ':memory:'). */
  storage: 'disk' | 's3';
  s3: S3Config | null;
  maxFileSize: number;
  maxEmojiSize: number;
  /** AES-256-GCM key for files at rest; null stores them as uploaded. */
  encryptionKey: Buffer | null;
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

function secretKey(env: Env): string | null {
  const raw = env.PARLEY_SECRET_KEY?.trim();
  if (!raw) return null;
  if (raw.length < 32) throw new ConfigError('PARLEY_SECRET_KEY must be at least 32 characters (e.g. openssl rand -base64 32)');
  return raw;
}

function filesConfig(env: Env): FilesConfig {
  const storage = env.PARLEY_FILE_STORAGE?.trim() || 'disk';
  if (storage !== 'disk' && storage !== 's3') throw new ConfigError(`PARLEY_FILE_STORAGE must be disk or s3, got "${storage}"`);
  let s3: S3Config | null = null;
  if (storage === 's3') {
    const bucket = env.PARLEY_S3_BUCKET?.trim();
    if (!bucket) throw new ConfigError('PARLEY_S3_BUCKET is required when PARLEY_FILE_STORAGE=s3');
    const accessKeyId = env.PARLEY_S3_ACCESS_KEY_ID?.trim();
    const secretAccessKey = env.PARLEY_S3_SECRET_ACCESS_KEY?.trim();
    if (!accessKeyId !== !secretAccessKey) {
      throw new ConfigError('Set both PARLEY_S3_ACCESS_KEY_ID and PARLEY_S3_SECRET_ACCESS_KEY, or neither');
    }
    s3 = {
      endpoint: url(env, 'PARLEY_S3_ENDPOINT', null, ['http:', 'https:']),
      bucket,
      region: env.PARLEY_S3_REGION?.trim() || 'us-east-1',
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
      forcePathStyle: bool(env, 'PARLEY_S3_FORCE_PATH_STYLE', false),
    };
  }
  let encryptionKey: Buffer | null = null;
  const rawKey = env.PARLEY_FILE_ENCRYPTION_KEY?.trim();
  if (rawKey) {
    encryptionKey = /^[A-Za-z0-9+/]+={0,2}$/.test(rawKey) ? Buffer.from(rawKey, 'base64') : Buffer.alloc(0);
    if (encryptionKey.length !== 32) {
      throw new ConfigError('PARLEY_FILE_ENCRYPTION_KEY must be 32 bytes in base64 (make one with: openssl rand -base64 32)');
    }
  }
  return {
    storage,
    s3,
    maxFileSize: int(env, 'PARLEY_MAX_FILE_SIZE', 100 * 1024 * 1024, 1, 1024 ** 4),
    maxEmojiSize: int(env, 'PARLEY_MAX_EMOJI_SIZE', 256 * 1024, 1024, 10 * 1024 * 1024),
    encryptionKey,
  };
}

function ssoConfig(env: Env): SsoSettings {
  try {
    return loadSsoConfig(env);
  } catch (err) {
    if (err instanceof SsoConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

function proxies(env: Env): boolean | string {
  try {
    return trustedProxies(env);
  } catch (err) {
    if (err instanceof HardeningConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

function hardeningConfig(env: Env): HardeningConfig {
  try {
    return loadHardeningConfig(env);
  } catch (err) {
    if (err instanceof HardeningConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

function alertsConfig(env: Env): AlertsConfig {
  try {
    return loadAlertsConfig(env);
  } catch (err) {
    if (err instanceof AlertsConfigError) throw new ConfigError(err.message);
    throw err;
  }
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
    sessionIdleMinutes: int(env, 'PARLEY_SESSION_IDLE_MINUTES', 0, 0, 5_256_000),
    passwordMinLength: int(env, 'PARLEY_PASSWORD_MIN_LENGTH', 12, 8, 1024),
    searchRankWindow: int(env, 'PARLEY_SEARCH_RANK_WINDOW', 500, 1, 100_000),
    passwordResetTtlMinutes: int(env, 'PARLEY_PASSWORD_RESET_TTL_MINUTES', 60, 5, 10_080),
    smtpUrl: url(env, 'PARLEY_SMTP_URL', null, ['smtp:', 'smtps:']),
    smtpFrom: env.PARLEY_SMTP_FROM?.trim() || `Parley <parley@${new URL(url(env, 'PARLEY_PUBLIC_URL', 'http://localhost', ['http:', 'https:'])!).hostname}>`,
    secretKey: secretKey(env),
    argon2: {
      memoryCost: int(env, 'PARLEY_ARGON2_MEMORY_KIB', 19_456, 1024, 4_194_304),
      timeCost: int(env, 'PARLEY_ARGON2_TIME_COST', 2, 1, 100),
    },
    rateLimit: {
      enabled: bool(env, 'PARLEY_RATE_LIMIT', true),
      perMinute: int(env, 'PARLEY_RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
      authPerMinute: int(env, 'PARLEY_RATE_LIMIT_AUTH_PER_MINUTE', 20, 1, 10_000_000),
    },
    trustProxy: proxies(env),
    resume: {
      ttlSeconds: int(env, 'PARLEY_RESUME_TTL_SECONDS', 120, 1, 86_400),
      maxEvents: int(env, 'PARLEY_RESUME_MAX_EVENTS', 1000, 10, 1_000_000),
    },
    presence: {
      awayAfterMs: int(env, 'PARLEY_PRESENCE_AWAY_SECONDS', 600, 1, 86_400) * 1000,
      offlineGraceMs: int(env, 'PARLEY_PRESENCE_OFFLINE_GRACE_MS', 5000, 0, 600_000),
    },
    files: filesConfig(env),
    linkPreviews: {
      timeoutMs: int(env, 'PARLEY_LINK_PREVIEW_TIMEOUT_MS', 5000, 100, 60_000),
      maxBytes: int(env, 'PARLEY_LINK_PREVIEW_MAX_BYTES', 1024 * 1024, 16 * 1024, 16 * 1024 * 1024),
      maxRedirects: 3,
      maxPerMessage: 3,
      maxImageBytes: 5 * 1024 * 1024,
      allowLoopback: false,
    },
    sso: ssoConfig(env),
    alerts: alertsConfig(env),
    ...hardeningConfig(env),
  };
  return { ...config, ...overrides };
}
