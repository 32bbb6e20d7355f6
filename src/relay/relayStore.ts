// Where a relay keeps its rooms across restarts: one SQLite file (better-sqlite3) under --data, a
// row per room holding its Yjs state (sealed entries only: nothing readable). Written through
// Hocuspocus's database extension, which calls store with the whole state after changes settle.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';

export const RELAY_DB_FILE = 'relay.sqlite';

export class RelayStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { state: Buffer }>;
  private readonly upsert: Database.Statement<[string, Buffer, number]>;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // A native addon: loaded only when a relay persists.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Sqlite = require('better-sqlite3') as typeof Database;
    this.db = new Sqlite(path.join(dataDir, RELAY_DB_FILE));
    // WAL: a crash mid-write leaves the last committed state; readers never block the writer.
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, state BLOB NOT NULL, updated INTEGER NOT NULL)');
    this.select = this.db.prepare('SELECT state FROM rooms WHERE name = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO rooms (name, state, updated) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET state = excluded.state, updated = excluded.updated',
    );
  }

  fetch(name: string): Uint8Array | null {
    return this.select.get(name)?.state ?? null;
  }

  store(name: string, state: Uint8Array): void {
    this.upsert.run(name, Buffer.from(state.buffer, state.byteOffset, state.byteLength), Date.now());
  }

  rooms(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM rooms').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
