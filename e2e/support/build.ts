// The server serves web/dist, so the browser tests need a current build of the web client.
// `npm test` builds it first (the root `pretest` script); this also covers `npx vitest run e2e`
// by building when dist is missing or older than the sources. Test files run in parallel,
// so one builds while the others wait on a lock directory.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST_INDEX = path.join(ROOT, 'web/dist/index.html');
const LOCK = path.join(ROOT, 'web/.build-lock');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!e.name.endsWith('.gen.json')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function stale(): boolean {
  if (!fs.existsSync(DIST_INDEX)) return true;
  const built = fs.statSync(DIST_INDEX).mtimeMs;
  const sources = Math.max(
    newest(path.join(ROOT, 'web/src')), newest(path.join(ROOT, 'protocol/src')),
    fs.statSync(path.join(ROOT, 'web/index.html')).mtimeMs, fs.statSync(path.join(ROOT, 'web/vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

export async function ensureWebBuilt(): Promise<void> {
  if (!stale()) return;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than five minutes is left over from a crash.
      if (Date.now() - fs.statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (stale()) execSync('npm run build -w web --silent', { cwd: ROOT, stdio: 'inherit' });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
