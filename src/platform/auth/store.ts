/**
 * All SQL of the auth module (Kysely, both dialects): its migrations and the
 * users, api_keys and auth_settings tables. Org units and departments live in
 * org.store.ts.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { bigintType, type Database, type Migration } from '../db/index.js';
import type { OrgTables } from './org.store.js';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  org_unit_id: string | null;
  department: string | null;
  disabled: number;
  created_at: number;
  /** Session tokens issued before this instant (ms) are refused: set when the password changes. */
  tokens_valid_after: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  roles: string;
  department: string | null;
  org_unit_id: string | null;
  auto_provision: number;
  created_at: number;
  revoked_at: number | null;
}

export interface AuthSettingsTable {
  key: string;
  value: string;
}

export type AuthTables = OrgTables & {
  users: UsersTable;
  api_keys: ApiKeysTable;
  auth_settings: AuthSettingsTable;
};

export type AuthDb = Kysely<AuthTables>;
export type UserRow = UsersTable;
export type ApiKeyRow = ApiKeysTable;

export const migrations: Migration[] = [
  {
    name: 'auth_001_org_units',
    async up(db) {
      await db.schema
        .createTable('org_units')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('parent_id', 'varchar(64)')
        .addColumn('level', 'varchar(16)', (c) => c.notNull())
        .addColumn('code', 'varchar(64)', (c) => c.notNull())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('boundary', 'text')
        .addColumn('path', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('org_units_parent_idx').on('org_units').column('parent_id').execute();
      await db.schema.createIndex('org_units_path_idx').on('org_units').column('path').execute();
    },
  },
  {
    name: 'auth_002_departments',
    async up(db) {
      await db.schema
        .createTable('departments')
        .addColumn('code', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: 'auth_003_users',
    async up(db, dialect) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('org_unit_id', 'varchar(64)')
        .addColumn('department', 'varchar(64)')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', bigintType(dialect), (c) => c.notNull())
        .addColumn('tokens_valid_after', bigintType(dialect), (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  {
    name: 'auth_004_api_keys',
    async up(db, dialect) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'varchar(32)', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('department', 'varchar(64)')
        .addColumn('org_unit_id', 'varchar(64)')
        .addColumn('auto_provision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', bigintType(dialect), (c) => c.notNull())
        .addColumn('revoked_at', bigintType(dialect))
        .execute();
    },
  },
  {
    name: 'auth_005_settings',
    async up(db) {
      await db.schema
        .createTable('auth_settings')
        .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

export interface UserQuery {
  role?: string;
  /** Users whose org unit is this one or lies under it. */
  orgUnitPath?: string;
  department?: string;
  limit: number;
  offset: number;
}

/** Escape LIKE wildcards so ids containing "_" or "%" match literally (ESCAPE '\'). */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** `column LIKE pattern ESCAPE '\'`; Kysely has no ESCAPE clause and SQLite has no default escape character. */
const like = (column: string, pattern: string) => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;

export function createAuthStore(database: Database) {
  const db = database.db.withTables<AuthTables>() as unknown as AuthDb;

  const userQuery = (q: Omit<UserQuery, 'limit' | 'offset'>) => {
    let sel = db.selectFrom('users as u').leftJoin('org_units as o', 'o.id', 'u.org_unit_id');
    if (q.role) sel = sel.where(like('u.roles', `%"${likeLiteral(q.role)}"%`));
    if (q.department) sel = sel.where('u.department', '=', q.department);
    if (q.orgUnitPath) sel = sel.where(like('o.path', `${likeLiteral(q.orgUnitPath)}%`));
    return sel;
  };

  return {
    db,

    async insertUser(row: UserRow): Promise<void> {
      await db.insertInto('users').values(row).execute();
    },
    async userById(id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async userByName(username: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    },
    async updateUser(id: string, patch: Partial<Omit<UserRow, 'id' | 'username' | 'created_at'>>): Promise<void> {
      await db.updateTable('users').set(patch).where('id', '=', id).execute();
    },
    async countUsers(): Promise<number> {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async listUsers(q: UserQuery): Promise<{ rows: UserRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        userQuery(q).selectAll('u').orderBy('u.username').limit(q.limit).offset(q.offset).execute(),
        userQuery(q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    /** Roles of every enabled user (for the "keep one admin" rule; user counts are small). */
    async enabledUserRoles(): Promise<Array<{ id: string; roles: string }>> {
      return db.selectFrom('users').select(['id', 'roles']).where('disabled', '=', 0).execute();
    },

    async insertApiKey(row: ApiKeyRow): Promise<void> {
      await db.insertInto('api_keys').values(row).execute();
    },
    async apiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
      return db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    },
    async apiKeyById(id: string): Promise<ApiKeyRow | undefined> {
      return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async listApiKeys(includeRevoked: boolean): Promise<ApiKeyRow[]> {
      let q = db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
      if (!includeRevoked) q = q.where('revoked_at', 'is', null);
      return q.execute();
    },
    async revokeApiKey(id: string, at: number): Promise<void> {
      await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    /** The stored value, or `fresh` stored first if none was (the first of several processes wins). */
    async settingOrInit(key: string, fresh: string): Promise<string> {
      await db.insertInto('auth_settings').values({ key, value: fresh }).onConflict((oc) => oc.column('key').doNothing()).execute();
      const r = await db.selectFrom('auth_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
      return r.value;
    },
  };
}

export type AuthStore = ReturnType<typeof createAuthStore>;

/** True for a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
