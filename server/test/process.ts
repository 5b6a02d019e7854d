// Runs the real `parley` command as a child process (through tsx, so no build is needed).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_ARGON2_MEMORY_KIB: '1024', PARLEY_ARGON2_TIME_COST: '1', PARLEY_RATE_LIMIT: 'false', ...extra };
  if (!extra.PARLEY_DATABASE_URL) delete env.PARLEY_DATABASE_URL;
  return env;
}

export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: baseEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `parley serve` on a free port and resolves once it logs the address it listens on. */
export function serveProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    cwd: ROOT, env: baseEnv({ PARLEY_PORT: '0', PARLEY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'info', ...env }),
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => {
      out += d;
      for (const line of String(d).split('\n')) {
        try {
          const rec = JSON.parse(line);
          if (rec.url && /listening/.test(rec.msg)) resolve({ url: rec.url, child, exited });
        } catch { /* not a log line */ }
      }
    });
    exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${out}`)));
  });
}
