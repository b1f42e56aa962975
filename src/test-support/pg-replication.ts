/**
 * A PostgreSQL primary and a streaming standby of it, for the read-replica tests: two throwaway
 * clusters, each in a temporary directory on a free port, stopped and removed afterwards. They are
 * made here rather than taken from the shared test server (127.0.0.1:5432) because that one allows no
 * replication connections (pg_hba.conf has no `replication` line) and a test must not reconfigure it.
 * PostgreSQL refuses to run as root: when the tests run as root, every server command runs as the
 * `postgres` system user (runuser). The server binaries are looked up under /usr/lib/postgresql/<version>/bin
 * (Debian's layout) or taken from VIGIL_TEST_PG_BIN.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './processes.js';

const SUPERUSER = 'postgres';

function serverBinaries(): string {
  if (process.env.VIGIL_TEST_PG_BIN) return process.env.VIGIL_TEST_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`the replica test needs the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup): none under ${root}/<version>/bin; set VIGIL_TEST_PG_BIN`);
  return join(root, newest, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program (as the postgres user when we are root); throws with its output when it fails. */
function run(program: string, args: string[]): void {
  const command = join(serverBinaries(), program);
  const [file, argv] = asRoot ? ['runuser', ['-u', SUPERUSER, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}${result.stdout}`);
}

/** A temporary directory the server user owns. */
function ownedDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  return dir;
}


interface Cluster {
  data: string;
  port: number;
  url: string;
}

function start(root: string, name: string, port: number): Cluster {
  const data = join(root, name);
  // Throwaway data: no fsync. Sockets in the temporary directory, so nothing touches the system's.
  const settings = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${root} -c fsync=off -c shared_buffers=16MB -c max_connections=40`;
  run('pg_ctl', ['-D', data, '-o', settings, '-l', join(root, `${name}.log`), '-w', '-t', '120', 'start']);
  return { data, port, url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${SUPERUSER}` };
}

export interface ReplicatedPair {
  primary: string;
  standby: string;
  /** Stops the standby applying what the primary sends (it keeps receiving it), until resumed. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the standby has replayed everything the primary had written when this was called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A new primary (initdb) and a standby made from it with pg_basebackup, both running. */
export async function startReplicatedPair(): Promise<ReplicatedPair> {
  const root = ownedDirectory('vigil-replication-');
  const started: Cluster[] = [];
  const stop = async () => {
    for (const cluster of started.reverse()) {
      try {
        run('pg_ctl', ['-D', cluster.data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped; the directory goes anyway.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // initdb's pg_hba.conf lets local and 127.0.0.1 replication connections in (trust, as asked).
    run('initdb', ['-D', join(root, 'primary'), '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const primary = start(root, 'primary', await freePort());
    started.push(primary);
    // -R writes standby.signal and primary_conninfo: the copy starts as a hot standby streaming from the primary.
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', SUPERUSER, '-D', join(root, 'standby'), '-R', '-X', 'stream', '-c', 'fast']);
    const standby = start(root, 'standby', await freePort());
    started.push(standby);
    return {
      primary: primary.url,
      standby: standby.url,
      async pauseReplay() {
        await query(standby.url, 'select pg_wal_replay_pause()');
        await until('replay to pause', 10_000, async () => (await query<{ state: string }>(standby.url, 'select pg_get_wal_replay_pause_state() as state'))[0]!.state === 'paused');
      },
      async resumeReplay() {
        await query(standby.url, 'select pg_wal_replay_resume()');
      },
      async caughtUp(timeoutMs = 20_000) {
        const [{ lsn }] = (await query<{ lsn: string }>(primary.url, 'select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
        await until(`the standby to replay up to ${lsn}`, timeoutMs, async () =>
          (await query<{ done: boolean }>(standby.url, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [lsn]))[0]!.done);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
