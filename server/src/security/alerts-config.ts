// PARLEY_ALERT_* variables: where security alerts are posted and when the anomaly detector
// (anomalies.ts) raises one. Read by config.ts, which turns an AlertsConfigError into its ConfigError.
export class AlertsConfigError extends Error {}

export interface AlertsConfig {
  /** Alerts are POSTed here as JSON (Slack-style incoming webhook, SIEM, pager); null: in-app only. */
  webhookUrl: string | null;
  webhookTimeoutMs: number;
  /** Attempts per alert, and the wait before the first retry (doubled each time). Tests shorten it. */
  webhookAttempts: number;
  webhookRetryDelayMs: number;
  /** Failed sign-ins of one account, or from one address, within the window. */
  failedLogins: { threshold: number; windowMinutes: number };
  /** Messages deleted by one person within the window. */
  massDeletion: { threshold: number; windowMinutes: number };
  /** One session or token used from two networks (different /16 or /48) within this many minutes. */
  distantIpWindowMinutes: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new AlertsConfigError(`${key} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new AlertsConfigError(`${key} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function webhook(env: Env): string | null {
  const raw = env.PARLEY_ALERT_WEBHOOK_URL?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new AlertsConfigError(`PARLEY_ALERT_WEBHOOK_URL must be a URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AlertsConfigError(`PARLEY_ALERT_WEBHOOK_URL must start with https:// or http://, got "${raw}"`);
  }
  return raw;
}

export function loadAlertsConfig(env: Env): AlertsConfig {
  return {
    webhookUrl: webhook(env),
    webhookTimeoutMs: int(env, 'PARLEY_ALERT_WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
    webhookAttempts: 4,
    webhookRetryDelayMs: 2000,
    failedLogins: {
      threshold: int(env, 'PARLEY_ALERT_FAILED_LOGINS', 10, 2, 100_000),
      windowMinutes: int(env, 'PARLEY_ALERT_FAILED_LOGIN_MINUTES', 5, 1, 1440),
    },
    massDeletion: {
      threshold: int(env, 'PARLEY_ALERT_MASS_DELETIONS', 50, 2, 1_000_000),
      windowMinutes: int(env, 'PARLEY_ALERT_MASS_DELETION_MINUTES', 10, 1, 1440),
    },
    distantIpWindowMinutes: int(env, 'PARLEY_ALERT_DISTANT_IP_MINUTES', 10, 1, 1440),
  };
}
