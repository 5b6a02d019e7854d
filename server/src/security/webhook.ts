// Posts a security alert to PARLEY_ALERT_WEBHOOK_URL. Called after the alert has committed
// and never awaited by a request: each attempt has a deadline, failures are logged and
// retried with a doubling wait, and after the last attempt the alert stays in-app only.
import { setTimeout as wait } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Alert } from '@parley/protocol';
import type { AlertsConfig } from './alerts-config.js';

export interface AlertWebhookBody {
  event: 'alert.raised';
  /** PARLEY_PUBLIC_URL, so one receiver can tell several Parley servers apart. */
  server: string;
  alert: Alert;
}

/** Resolves when delivery succeeded (true) or was given up (false); never rejects. */
export async function postAlert(config: AlertsConfig, server: string, log: Logger, alert: Alert): Promise<boolean> {
  const url = config.webhookUrl;
  if (!url) return false;
  const body = JSON.stringify({ event: 'alert.raised', server, alert } satisfies AlertWebhookBody);
  let delay = config.webhookRetryDelayMs;
  for (let attempt = 1; attempt <= config.webhookAttempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Parley-Alerts/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(config.webhookTimeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) return true;
      log.warn({ alertId: alert.id, status: res.status, attempt }, 'alert webhook answered with an error');
    } catch (err) {
      log.warn({ alertId: alert.id, err: (err as Error).message, attempt }, 'alert webhook could not be reached');
    }
    if (attempt < config.webhookAttempts) {
      await wait(delay, undefined, { ref: false });
      delay *= 2;
    }
  }
  log.error({ alertId: alert.id, attempts: config.webhookAttempts }, 'alert webhook failed; the alert is in-app only');
  return false;
}
