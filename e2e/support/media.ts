// Real media for browser tests: PNGs made by sharp, a WAV tone, and files handed to the
// page as a DataTransfer (what a drop or a paste carries).
import type { Page } from 'playwright-core';
import sharp from 'sharp';

/** A real PNG of `w`×`h` with a diagonal gradient, so it is visibly an image in screenshots. */
export async function png(w: number, h: number, hue: [number, number, number]): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = (x / w + y / h) / 2;
      raw.set([Math.round(hue[0] * t), Math.round(hue[1] * (1 - t)), hue[2]], (y * w + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** Half a second of a 440 Hz tone as a 16-bit mono WAV. */
export function wav(): Buffer {
  const rate = 8000;
  const samples = rate / 2;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples * 2, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return b;
}

/** Files (as DataTransfer) made inside the page, for drop and paste events. */
export function transfer(page: Page, files: Array<{ name: string; type: string; bytes: Buffer }>) {
  return page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  }, files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })));
}

/**
 * A short real WebM video recorded in the page (canvas + MediaRecorder), as a file on a
 * DataTransfer ready to drop.
 */
export function recordedVideo(page: Page, name: string, width: number, height: number) {
  return page.evaluateHandle(async ({ name, width, height }) => {
    const canvas = Object.assign(document.createElement('canvas'), { width, height });
    const g = canvas.getContext('2d')!;
    const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((r) => { recorder.onstop = r; });
    recorder.start();
    for (let frame = 0; frame < 20; frame++) {
      g.fillStyle = `hsl(${frame * 18} 70% 50%)`;
      g.fillRect(0, 0, width, height);
      await new Promise((r) => requestAnimationFrame(r));
    }
    recorder.stop();
    await stopped;
    const dt = new DataTransfer();
    dt.items.add(new File(chunks, name, { type: 'video/webm' }));
    return dt;
  }, { name, width, height });
}
