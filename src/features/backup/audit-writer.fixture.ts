/**
 * Test fixture for the online backup test: another process (as the server would be) that keeps
 * appending audit entries to the store at argv[2], printing each number once committed, until its
 * standard input closes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../store/connection.js';
import { appendAudit } from '../audit/audit.service.js';

const store = await openStore(process.argv[2]!);
let running = true;
process.stdin.on('end', () => (running = false)).resume();
while (running) {
  const { seq } = await store.db.transaction().execute((trx) => appendAudit(trx, { actor: 'test:writer', action: 'update', entity: 'person', entityId: 1 }));
  process.stdout.write(`${seq}\n`);
  // A short pause, as between requests, so that SQLite's busy wait in other processes gets its turn.
  await sleep(2);
}
await store.close();
