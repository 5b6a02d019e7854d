import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeNull();
    expect(c.maxMessageLength).toBe(40_000);
    expect(c.rateLimit.enabled).toBe(true);
    expect(c.dataDir).toMatch(/data$/);
  });
  it('explains bad values', () => {
    expect(() => loadConfig({ PARLEY_PORT: '99999' })).toThrow(new ConfigError('PARLEY_PORT must be between 0 and 65535, got 99999'));
    expect(() => loadConfig({ PARLEY_RATE_LIMIT: 'maybe' })).toThrow(/PARLEY_RATE_LIMIT must be true or false/);
    expect(() => loadConfig({ PARLEY_PUBLIC_URL: 'not a url' })).toThrow(/PARLEY_PUBLIC_URL must be a URL/);
    expect(() => loadConfig({ PARLEY_LOG_LEVEL: 'loud' })).toThrow(/PARLEY_LOG_LEVEL must be one of/);
  });
  it('reads the database URL and data dir', () => {
    const c = loadConfig({ PARLEY_DATABASE_URL: 'postgres://u@h:5432/db', PARLEY_DATA_DIR: '/srv/parley' });
    expect(c.databaseUrl).toBe('postgres://u@h:5432/db');
    expect(c.dataDir).toBe('/srv/parley');
  });
});
