/** The store: connection, dialects and migrations. */
export * from './database.js';
export * from './migrations.js';
