// Helpers for the file and emoji tests: multipart uploads the way a browser sends them,
// downloads as bytes, images made on the spot with sharp, and the raw stored objects.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { Client, Reply, TestServer } from './harness.js';

export interface UploadFile {
  name: string;
  data: Buffer | string;
  /** What the client claims; the server must ignore it. */
  type?: string;
}

export function form(files: UploadFile[], fields: Record<string, string> = {}, fileField = 'file'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const file of files) {
    const data = typeof file.data === 'string' ? Buffer.from(file.data) : file.data;
    f.append(fileField, new Blob([new Uint8Array(data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  }
  return f;
}

/** POSTs a multipart form as `c` (or anonymously with `c === null`). */
export async function postForm(server: TestServer, c: Client | null, url: string, body: FormData | string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(server.url + url, {
    method: 'POST',
    headers: { ...(c?.token ? { authorization: `Bearer ${c.token}` } : {}), ...headers },
    body,
  });
  const text = await res.text();
  let parsed: any = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function upload(server: TestServer, c: Client, ...files: UploadFile[]): Promise<Reply> {
  return postForm(server, c, '/api/v1/files', form(files));
}

/** Uploads and returns the FileInfo list, failing on anything but 201. */
export async function uploaded(server: TestServer, c: Client, ...files: UploadFile[]): Promise<any[]> {
  const r = await upload(server, c, ...files);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.files;
}

export interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: any;
}

export async function download(server: TestServer, c: Client | null, url: string, headers: Record<string, string> = {}): Promise<Download> {
  const res = await fetch(server.url + url, { headers: { ...(c?.token ? { authorization: `Bearer ${c.token}` } : {}), ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: any = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(bytes.toString());
  return { status: res.status, headers: res.headers, bytes, json };
}

export { expectError, watch } from './expect.js';

export const GPS = { latitude: '48/1 51/1 2982/100', marker: 'PARLEY-SECRET-PLACE' };

/** A photo as a phone would save it: EXIF with GPS position, camera and a description. */
export async function jpegWithGps(width = 2400, height = 1600, orientation?: number): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 3}" cy="${height / 2}" r="${height / 4}" fill="navy"/></svg>`) }])
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'ParleyCam', Model: 'Test 1', ImageDescription: GPS.marker },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: GPS.latitude, GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4019/100' },
    });
  const buf = await img.toBuffer();
  // The orientation tag is numeric, which withExif (strings only) cannot write; this keeps the rest.
  return orientation ? sharp(buf).withMetadata({ orientation }).jpeg({ quality: 85 }).toBuffer() : buf;
}

export async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 20, g: 160, b: 90, alpha: 1 } } }).png().toBuffer();
}

/** No EXIF or XMP left, and none of the tell-tale strings. */
export async function expectNoMetadata(bytes: Buffer): Promise<void> {
  const meta = await sharp(bytes).metadata();
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(bytes.includes(Buffer.from(GPS.marker))).toBe(false);
  expect(bytes.includes(Buffer.from('ParleyCam'))).toBe(false);
  expect(bytes.includes(Buffer.from('Exif\0\0'))).toBe(false);
}

/** Every regular file under a folder, recursively. */
export function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
