// The chunked AES-256-GCM layer on a real disk driver: round trips of every awkward size,
// ranges across chunk edges, and tampering or truncation detected.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskStorage } from './disk.js';
import { CHUNK, EncryptedStorage, HEADER, plainSize } from './encryption.js';

const disk = DiskStorage.temporary();
const store = new EncryptedStorage(disk, randomBytes(32));
afterAll(() => store.close());

async function bytes(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of s) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** Feeds data in odd-sized pieces, as a network would. */
function trickle(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += 7919) pieces.push(data.subarray(i, i + 7919));
  return Readable.from(pieces);
}

describe('encrypted storage', () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 12_345]) {
    it(`round-trips ${size} bytes`, async () => {
      const data = randomBytes(size);
      const key = `t/${size}`;
      await store.put(key, trickle(data));
      const raw = fs.readFileSync(disk.pathOf(key));
      expect(raw.length).toBe(HEADER + size + 16 * Math.max(1, Math.ceil(size / CHUNK)));
      expect(plainSize(raw.length)).toBe(size);
      expect(await store.size(key)).toBe(size);
      expect((await bytes(await store.get(key))).equals(data)).toBe(true);
      if (size > 0) {
        for (const [a, b] of [[0, 0], [size - 1, size - 1], [Math.floor(size / 3), Math.floor((2 * size) / 3)]] as const) {
          expect((await bytes(await store.get(key, { start: a, end: b }))).equals(data.subarray(a, b + 1)), `${a}-${b}`).toBe(true);
        }
      }
    });
  }

  it('detects a flipped bit', async () => {
    await store.put('t/flip', Readable.from([randomBytes(1000)]));
    const p = disk.pathOf('t/flip');
    const raw = fs.readFileSync(p);
    raw[HEADER + 10]! ^= 1;
    fs.writeFileSync(p, raw);
    await expect(bytes(await store.get('t/flip'))).rejects.toThrow();
  });

  it('detects a truncated object (the last chunk is marked)', async () => {
    await store.put('t/cut', Readable.from([randomBytes(3 * CHUNK)]));
    const p = disk.pathOf('t/cut');
    const raw = fs.readFileSync(p);
    fs.writeFileSync(p, raw.subarray(0, HEADER + 2 * (CHUNK + 16)));
    await expect(bytes(await store.get('t/cut'))).rejects.toThrow();
  });

  it('uses a fresh key per object: the same plaintext never looks the same', async () => {
    const data = Buffer.alloc(5000, 1);
    await store.put('t/a', Readable.from([data]));
    await store.put('t/b', Readable.from([data]));
    const a = fs.readFileSync(disk.pathOf('t/a'));
    const b = fs.readFileSync(disk.pathOf('t/b'));
    expect(a.subarray(HEADER).equals(b.subarray(HEADER))).toBe(false);
  });
});
