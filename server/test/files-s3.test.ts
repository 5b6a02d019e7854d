// The S3 driver against a real S3-compatible server (s3rver, started here on loopback):
// path-style and virtual-host buckets, multipart uploads of large streams, ranges, deletes,
// and the whole file API on top of it with at-rest encryption checked on the raw objects.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { LookupFunction } from 'node:net';
import S3rver from 's3rver';
import sharp from 'sharp';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { S3Config } from '../src/config.js';
import { S3Storage } from '../src/files/s3.js';
import { StorageNotFound } from '../src/files/storage.js';
import { startTestServer, testConfig, type TestServer } from './harness.js';
import { download, expectNoMetadata, jpegWithGps, upload, uploaded, watch } from './files-helpers.js';

const BUCKET = 'parley-files';
let s3: { close(): Promise<void> };
let dir: string;
let endpoint: string;
let port: number;
const drivers: S3Storage[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-s3rver-'));
  const server = new S3rver({
    port: 0, address: '127.0.0.1', silent: true, directory: dir,
    // Virtual-host requests arrive as <bucket>.s3.localhost.
    serviceEndpoint: 'localhost',
    configureBuckets: [{ name: BUCKET }],
  });
  ({ port } = await server.run());
  endpoint = `http://127.0.0.1:${port}`;
  s3 = server;
});
afterAll(async () => {
  for (const d of drivers) await d.close();
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(extra: Partial<S3Config> = {}): S3Config {
  return {
    endpoint, bucket: BUCKET, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, ...extra,
  };
}

function driver(extra: Partial<S3Config> = {}, transport = {}): S3Storage {
  const d = new S3Storage(config(extra), transport);
  drivers.push(d);
  return d;
}

async function bytes(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of s) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** Raw object bytes straight from the bucket, bypassing Parley. */
async function rawObject(d: S3Storage, key: string): Promise<Buffer> {
  const r = await d.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return bytes(r.Body as Readable);
}

async function exists(d: S3Storage, key: string): Promise<boolean> {
  try {
    await d.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

describe('S3 driver', () => {
  it('puts, reads whole and in ranges, sizes and deletes (path-style)', async () => {
    const d = driver();
    const data = randomBytes(10_000);
    await d.put('t/a', Readable.from([data]));
    expect((await bytes(await d.get('t/a'))).equals(data)).toBe(true);
    expect((await bytes(await d.get('t/a', { start: 100, end: 199 }))).equals(data.subarray(100, 200))).toBe(true);
    expect(await d.size('t/a')).toBe(10_000);
    await d.delete(['t/a', 't/never-there']);
    expect(await d.size('t/a')).toBeNull();
    await expect(d.get('t/a')).rejects.toBeInstanceOf(StorageNotFound);
    expect(fs.existsSync(path.join(dir, BUCKET))).toBe(true); // it really went to the server's disk
  });

  it('addresses the bucket as a virtual host when path style is off', async () => {
    const hosts: string[] = [];
    // Every *.localhost name resolves to loopback here, as it does on systems with nss-myhostname.
    const lookup = ((hostname: string, opts: any, cb: any) => {
      hosts.push(hostname);
      if (opts?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as LookupFunction;
    const d = driver({ endpoint: `http://s3.localhost:${port}`, forcePathStyle: false }, { httpAgent: new http.Agent({ lookup }) });
    const data = Buffer.from('virtual host');
    await d.put('t/vhost', Readable.from([data]));
    expect(hosts).toContain(`${BUCKET}.s3.localhost`);
    // The path-style driver sees the same object: one bucket, two addressing styles.
    expect((await bytes(await driver().get('t/vhost'))).equals(data)).toBe(true);
    expect((await bytes(await d.get('t/vhost'))).equals(data)).toBe(true);
  });

  it('streams a large object up in parts (multipart upload)', async () => {
    const d = driver();
    const hash = createHash('sha256');
    const size = 20 * 1024 * 1024 + 123;
    async function* generate() {
      // Made on the fly, 1 MiB at a time: the whole object never exists in memory.
      for (let sent = 0; sent < size; sent += 1024 * 1024) {
        const piece = randomBytes(Math.min(1024 * 1024, size - sent));
        hash.update(piece);
        yield piece;
      }
    }
    const commands: string[] = [];
    d.client.middlewareStack.add((next, context) => async (args) => {
      commands.push(context.commandName!);
      return next(args);
    }, { step: 'initialize' });
    await d.put('t/big', Readable.from(generate()));
    // 8 MiB parts: three of them, never one 20 MiB request.
    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const head = await d.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 't/big' }));
    expect(head.ContentLength).toBe(size);
    const back = createHash('sha256');
    for await (const p of await d.get('t/big')) back.update(p as Buffer);
    expect(back.digest('hex')).toBe(hash.digest('hex'));
    await d.delete(['t/big']);
  });
});

describe('files on S3 with encryption at rest', () => {
  let server: TestServer;
  let raw: S3Storage;
  const serverErrors: string[] = [];
  beforeAll(async () => {
    server = watch(await startTestServer({
      config: { files: { ...testConfig().files, storage: 's3', s3: config(), encryptionKey: randomBytes(32), maxFileSize: 13 * 1024 * 1024 } },
    }), serverErrors);
    raw = driver();
  });
  afterAll(async () => { await server?.close(); });
  afterEach(() => { expect(serverErrors.splice(0)).toEqual([]); });

  const keyOf = (f: any, variant = 'original') => `${f.id.slice(-2)}/${f.id}/${variant}`;

  it('uploads, shares and serves a large file; the bucket holds only ciphertext', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = (await alice.channel(`s3-${randomBytes(3).toString('hex')}`, 'private')).id;
    expect((await alice.post(`/api/v1/channels/${channelId}/members`, { userIds: [bob.id] })).status).toBe(200);
    const line = 'CONFIDENTIAL-QUARTERLY-NUMBERS\n';
    const data = Buffer.from(line.repeat(Math.ceil((12 * 1024 * 1024) / line.length)));
    const [f] = await uploaded(server, alice, { name: 'numbers.csv', data });
    expect(f.size).toBe(data.length);
    const m = await alice.say(channelId, 'the numbers', { fileIds: [f.id] });

    const stored = await rawObject(raw, keyOf(f));
    expect(stored.subarray(0, 8).toString()).toBe('PRLYENC1');
    expect(stored.includes(Buffer.from('CONFIDENTIAL'))).toBe(false);

    const got = await download(server, bob, f.url);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(data)).toBe(true);
    const part = await download(server, bob, f.url, { range: 'bytes=8388600-8388700' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(data.subarray(8388600, 8388701))).toBe(true);

    expect((await alice.del(`/api/v1/messages/${m.id}`)).status).toBe(204);
    expect((await download(server, bob, f.url)).status).toBe(404);
    expect(await exists(raw, keyOf(f))).toBe(false);
  });

  it('stops an upload over the limit with 413 and leaves no object in the bucket', async () => {
    const alice = await server.user();
    const objects = async () => (await raw.client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount;
    const before = await objects();
    const commands: string[] = [];
    (server.deps.files.raw as S3Storage).client.middlewareStack.add((next, context) => async (args) => {
      commands.push(context.commandName!);
      return next(args);
    }, { step: 'initialize', name: 'record-commands' });
    const r = await upload(server, alice, { name: 'huge.bin', data: randomBytes(13 * 1024 * 1024 + 1) });
    (server.deps.files.raw as S3Storage).client.middlewareStack.remove('record-commands');
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 413, code: 'file_too_large' });
    expect(await objects()).toBe(before);
    // The parts already sent are given up (s3rver itself does not implement the abort, so it keeps them on its disk).
    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands).toContain('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
  });

  it('processes images: variants stored encrypted, served without EXIF', async () => {
    const alice = await server.user();
    const [f] = await uploaded(server, alice, { name: 'trip.jpg', data: await jpegWithGps(1200, 900) });
    for (const v of ['original', 'thumbnail', 'preview']) {
      expect((await rawObject(raw, keyOf(f, v))).subarray(0, 8).toString(), v).toBe('PRLYENC1');
    }
    const thumb = await download(server, alice, f.thumbnailUrl);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 360, height: 270 });
    await expectNoMetadata((await download(server, alice, f.url)).bytes);
  });

  it('answers 503 (not a crash) when the bucket is unreachable', async () => {
    const alice = await server.user();
    const [f] = await uploaded(server, alice, { name: 'x.txt', data: 'x' });
    const { FileStore } = await import('../src/files/open.js');
    const files = server.deps.files;
    const broken = new S3Storage(config({ endpoint: 'http://127.0.0.1:9', bucket: BUCKET }));
    server.deps.files = new FileStore(broken, randomBytes(32));
    try {
      const r = await download(server, alice, f.url);
      expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status: 503, code: 'service_unavailable' });
      serverErrors.splice(0); // the 503 is the point here
    } finally {
      server.deps.files = files;
      await broken.close();
    }
  });
});
