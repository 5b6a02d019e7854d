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
  it('reads and checks file storage settings', () => {
    const d = loadConfig({});
    expect(d.files).toMatchObject({ storage: 'disk', s3: null, maxFileSize: 100 * 1024 * 1024, encryptionKey: null });
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({
      PARLEY_FILE_STORAGE: 's3', PARLEY_S3_BUCKET: 'b', PARLEY_S3_ENDPOINT: 'http://minio:9000/', PARLEY_S3_FORCE_PATH_STYLE: 'true',
      PARLEY_S3_ACCESS_KEY_ID: 'id', PARLEY_S3_SECRET_ACCESS_KEY: 'secret', PARLEY_FILE_ENCRYPTION_KEY: key, PARLEY_MAX_FILE_SIZE: '1000',
    });
    expect(c.files.s3).toEqual({
      endpoint: 'http://minio:9000', bucket: 'b', region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(c.files.encryptionKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(c.files.maxFileSize).toBe(1000);
    expect(() => loadConfig({ PARLEY_FILE_STORAGE: 'ftp' })).toThrow(/PARLEY_FILE_STORAGE must be disk or s3/);
    expect(() => loadConfig({ PARLEY_FILE_STORAGE: 's3' })).toThrow(/PARLEY_S3_BUCKET is required/);
    expect(() => loadConfig({ PARLEY_FILE_STORAGE: 's3', PARLEY_S3_BUCKET: 'b', PARLEY_S3_ACCESS_KEY_ID: 'id' })).toThrow(/both/);
    expect(() => loadConfig({ PARLEY_FILE_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes in base64/);
    expect(() => loadConfig({ PARLEY_FILE_ENCRYPTION_KEY: 'not base64!' })).toThrow(/32 bytes in base64/);
    expect(() => loadConfig({ PARLEY_MAX_FILE_SIZE: '0' })).toThrow(/PARLEY_MAX_FILE_SIZE must be between/);
  });
});
