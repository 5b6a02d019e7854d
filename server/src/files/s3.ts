// S3-compatible object storage (AWS S3, MinIO, Ceph, R2, ...). Uploads stream through
// lib-storage's Upload, which sends one PUT for small objects and a multipart upload in
// 8 MiB parts (two in flight) for large ones, so memory stays bounded whatever the size.
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Config } from '../config.js';
import { checkKey, StorageNotFound, type ByteRange, type FileStorage } from './storage.js';

export const PART_SIZE = 8 * 1024 * 1024;

/** Connection options: tests pass agents that resolve virtual-host bucket names to loopback. */
export interface S3Transport {
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

function missing(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements FileStorage {
  readonly kind = 's3';
  readonly encrypted = false;
  readonly client: S3Client;

  constructor(private readonly config: S3Config, transport: S3Transport = {}) {
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint && { endpoint: config.endpoint }),
      forcePathStyle: config.forcePathStyle,
      ...(config.credentials && { credentials: config.credentials }),
      // Checksums only where S3 requires them: many S3-compatible servers reject the newer
      // default (aws-chunked uploads with trailing CRC32 checksums).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...((transport.httpAgent || transport.httpsAgent) && { requestHandler: transport }),
    });
  }

  get bucket(): string {
    return this.config.bucket;
  }

  async put(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: checkKey(key), Body: body, ContentType: 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({
        Bucket: this.config.bucket, Key: checkKey(key), ...(range && { Range: `bytes=${range.start}-${range.end}` }),
      }));
      return r.Body as Readable;
    } catch (err) {
      if (missing(err)) throw new StorageNotFound(key);
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: checkKey(key) }));
      return r.ContentLength ?? 0;
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs request checksums that not every
    // S3-compatible server accepts, and a file has at most three objects.
    await Promise.all(keys.map((k) => this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: checkKey(k) }))));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
