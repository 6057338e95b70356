/** The default file store: one file per key in a local folder, written atomically (temp file, then rename). */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from './types.js';

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

function checkKey(key: string): string {
  // Keys are ids we make; anything else (paths, "..") is a bug, not user input.
  if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid file store key ${JSON.stringify(key)}`);
  return key;
}

export function createLocalFileStore(dir: string): FileStore {
  let made: Promise<unknown> | undefined;
  const file = (key: string) => path.join(dir, checkKey(key));
  return {
    async put(key, bytes) {
      const target = file(key);
      made ??= mkdir(dir, { recursive: true });
      await made;
      const tmp = path.join(dir, `.tmp-${randomUUID()}`);
      try {
        await writeFile(tmp, bytes, { flag: 'wx' });
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(file(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(file(key), { force: true });
    },
  };
}
