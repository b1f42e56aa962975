/**
 * Long-running `vigil` child processes for fault tests: started from source (through tsx, like
 * runCli), watched while they work, and killed the hard way (SIGKILL: no handler, no cleanup, no
 * flush) at a chosen moment.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface VigilProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Everything written so far (kept to the last 64 KiB each, for failure messages). */
  output(): { stdout: string; stderr: string };
  readonly exited: Promise<Exit>;
  /** Whether the process has ended. */
  done(): boolean;
  /** SIGKILL, then waits for the exit. */
  killHard(): Promise<Exit>;
}

export interface Location {
  database: string;
  env: Record<string, string>;
}

const KEEP = 64 * 1024;

export function startVigil(args: string[], location: Location): VigilProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--database', location.database, ...args], {
    env: { ...process.env, VIGIL_ACTOR: 'test:cli', ...location.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  // Always drained: a server that logs every request would otherwise block on a full pipe.
  child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(-KEEP)));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-KEEP)));
  let ended = false;
  const exited = new Promise<Exit>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      resolveExit({ code, signal });
    });
  });
  return {
    child,
    pid: child.pid!,
    output: () => ({ stdout, stderr }),
    exited,
    done: () => ended,
    async killHard() {
      if (!ended) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Whether this system shows a process's open files and their offsets (/proc on Linux). */
export const CAN_WATCH_READS = existsSync('/proc/self/fdinfo');

/**
 * How far process `pid` has read into `path`: the offset of its open descriptor on that file, or
 * null while it does not have the file open.
 */
export function readOffset(pid: number, path: string): number | null {
  const target = resolve(path);
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== target) continue;
      const pos = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (pos) return Number(pos[1]);
    } catch {
      // The descriptor closed while we looked; try the others.
    }
  }
  return null;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `check` every `every` ms until it returns true; false on timeout. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, every = 5): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(every);
  }
  return false;
}

/** A TCP port that was free a moment ago (the server under test then binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `vigil serve` and waits until GET /healthz answers 200; returns the process and its base URL. */
export async function startServer(location: Location, timeoutMs = 30_000): Promise<{ server: VigilProcess; base: string }> {
  const port = await freePort();
  const server = startVigil(['serve', '--port', String(port)], location);
  const base = `http://127.0.0.1:${port}`;
  const up = await waitUntil(async () => {
    if (server.done()) return true;
    try {
      return (await fetch(`${base}/healthz`)).status === 200;
    } catch {
      return false;
    }
  }, timeoutMs, 50);
  if (!up || server.done()) {
    await server.killHard();
    throw new Error(`vigil serve did not come up on ${base}: ${server.output().stderr.slice(-2000)}`);
  }
  return { server, base };
}
