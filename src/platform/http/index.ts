/** HTTP platform: the Fastify app factory, error mapping and access checks. */
export * from './app.js';
export * from './errors.js';
