import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, Envelope, LocalMasterKey, openDatabase, rotateLocalMasterKey } from '@phub/kit';
import { createTestDatabase } from '@phub/kit/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_SCHEMA, queueEntities, queueMigrations } from './index.js';
import { PersonalData } from './personal-data.js';

const TICKET = '00000000-0000-4000-8000-0000000000f1';

describe(PersonalData.name, () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDatabase({
      url: db.url,
      schema: QUEUE_SCHEMA,
      entities: queueEntities,
      migrations: queueMigrations,
      logger: createLogger('queue-spec', 'silent'),
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'phub-queue-keys-'));
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sealedKek = async () =>
    ((await dataSource.query(`SELECT "sealed" FROM "queue"."data_key"`)) as { sealed: { kek: string } }[])[0]!.sealed
      .kek;

  it('re-wraps its data key after a master-key rotation, so the retired master key can be deleted', async () => {
    const before = new Envelope(LocalMasterKey.loadOrCreate(dataDir));
    const first = await PersonalData.open(dataSource, before);
    const stored = first.seal(TICKET, 'visitorName', 'Ada Lovelace');
    expect(await sealedKek()).toBe(before.kek.id);

    const { retired } = rotateLocalMasterKey(dataDir);
    const after = new Envelope(LocalMasterKey.loadOrCreate(dataDir));
    expect(after.kek.id).not.toBe(before.kek.id);
    await PersonalData.open(dataSource, after); // a start after the rotation
    expect(await sealedKek()).toBe(after.kek.id);

    // The retired key file goes; values written before the rotation still open.
    for (const f of readdirSync(dataDir)) if (f !== 'master.key') rmSync(path.join(dataDir, f));
    expect(retired).toBeTruthy();
    const restarted = await PersonalData.open(dataSource, new Envelope(LocalMasterKey.loadOrCreate(dataDir)));
    expect(restarted.open(TICKET, 'visitorName', stored)).toBe('Ada Lovelace');
  });
});
