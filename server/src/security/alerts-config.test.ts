import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('PARLEY_ALERT_* settings', () => {
  it('default to in-app alerts at 10 failed sign-ins in 5 minutes and 50 deletions in 10', () => {
    const { alerts } = loadConfig({});
    expect(alerts).toMatchObject({
      webhookUrl: null, webhookTimeoutMs: 5000, failedLogins: { threshold: 10, windowMinutes: 5 },
      massDeletion: { threshold: 50, windowMinutes: 10 }, distantIpWindowMinutes: 10,
    });
  });

  it('read the webhook and the thresholds', () => {
    const { alerts } = loadConfig({
      PARLEY_ALERT_WEBHOOK_URL: 'https://hooks.example.test/parley', PARLEY_ALERT_FAILED_LOGINS: '3', PARLEY_ALERT_FAILED_LOGIN_MINUTES: '15',
      PARLEY_ALERT_MASS_DELETIONS: '20', PARLEY_ALERT_MASS_DELETION_MINUTES: '2', PARLEY_ALERT_DISTANT_IP_MINUTES: '30',
    });
    expect(alerts).toMatchObject({
      webhookUrl: 'https://hooks.example.test/parley', failedLogins: { threshold: 3, windowMinutes: 15 },
      massDeletion: { threshold: 20, windowMinutes: 2 }, distantIpWindowMinutes: 30,
    });
  });

  it('explain bad values in a sentence', () => {
    expect(() => loadConfig({ PARLEY_ALERT_WEBHOOK_URL: 'hooks.example.test' })).toThrow(new ConfigError('PARLEY_ALERT_WEBHOOK_URL must be a URL, got "hooks.example.test"'));
    expect(() => loadConfig({ PARLEY_ALERT_WEBHOOK_URL: 'ftp://hooks.example.test' })).toThrow(/must start with https:\/\/ or http:\/\//);
    expect(() => loadConfig({ PARLEY_ALERT_FAILED_LOGINS: 'ten' })).toThrow(new ConfigError('PARLEY_ALERT_FAILED_LOGINS must be a whole number, got "ten"'));
    expect(() => loadConfig({ PARLEY_ALERT_FAILED_LOGINS: '1' })).toThrow(/PARLEY_ALERT_FAILED_LOGINS must be between 2 and/);
    expect(() => loadConfig({ PARLEY_ALERT_DISTANT_IP_MINUTES: '0' })).toThrow(/PARLEY_ALERT_DISTANT_IP_MINUTES must be between 1 and 1440/);
  });
});
