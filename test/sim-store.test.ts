/** The simulator's store on both dialects: what the demo city was built from survives a restart, and updates replace it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../src/platform/db/index.js';
import { serviceAvailable, TEST_PG_URL, uniqueName } from '../src/platform/testing/services.js';
import { createSimStore, migrations } from '../src/sim/store.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-sim-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const dialects: Array<{ name: string; skip: boolean; open: () => Promise<Database> }> = [
  { name: 'sqlite', skip: false, open: () => openDatabase({ sqlitePath: path.join(dir, `${uniqueName('s')}.db`) }) },
  { name: 'postgres', skip: !pgUp, open: () => openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: uniqueName('t') }) },
];

for (const d of dialects) {
  describe.skipIf(d.skip)(`sim store (${d.name})`, () => {
    it('starts empty, stores a build and replaces it', async () => {
      const database = await d.open();
      try {
        await migrate(database.db, database.dialect, migrations);
        const store = createSimStore(database);
        expect(await store.getBuild()).toBeNull();
        const first = { source: '/data/andorra.osm.pbf', importedAt: 1_700_000_000_000, version: 1, apiKeyId: 'key_1', builtAt: 1_700_000_100_000 };
        await store.setBuild(first);
        expect(await store.getBuild()).toEqual(first);
        const second = { ...first, importedAt: 1_800_000_000_000, apiKeyId: 'key_2', builtAt: 1_800_000_100_000 };
        await store.setBuild(second);
        expect(await store.getBuild()).toEqual(second);
        // a second start runs the migrations again without harm
        await migrate(database.db, database.dialect, migrations);
        expect(await createSimStore(database).getBuild()).toEqual(second);
      } finally {
        await database.close();
      }
    });
  });
}
