/**
 * Serves the web app: the Vite build (web/dist) at / — its client-side routes
 * (/ops, /workbench, /grid, /citizen, /login) all answer index.html — with
 * hashed assets under /assets/ (cached for a year), and the small legacy live
 * console (web/console) at /console.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { App } from './app.js';
import { notFound } from '../errors.js';

const WEB_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../web');
const DIST = path.join(WEB_DIR, 'dist');
const CONSOLE = path.join(WEB_DIR, 'console');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.map': 'application/json',
};
/** Client-side routes of the single-page app. */
const APP_ROUTES = ['/login', '/ops', '/workbench', '/grid', '/citizen'];

function load(dir: string, file: string): { body: Buffer; type: string } | null {
  if (!/^[a-z0-9._-]+$/i.test(file) || file.startsWith('.')) return null;
  try {
    return { body: readFileSync(path.join(dir, file)), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}

const notBuilt = () => notFound('WEB_APP_MISSING', 'The web app is not built: run `npm run build:web` (the demo command does it)');

export function mountWeb(app: App): void {
  const hidden = { hide: true };
  const sendIndex = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const f = load(DIST, 'index.html');
    if (!f) throw notBuilt();
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  };
  app.get('/', { config: { access: 'public' }, schema: hidden }, sendIndex);
  for (const r of APP_ROUTES) {
    app.get(r, { config: { access: 'public' }, schema: hidden }, sendIndex);
    app.get(`${r}/*`, { config: { access: 'public' }, schema: hidden }, sendIndex);
  }
  app.get('/assets/:file', { config: { access: 'public' }, schema: { ...hidden, params: Type.Object({ file: Type.String() }) } }, async (req, reply) => {
    const f = load(path.join(DIST, 'assets'), req.params.file);
    if (!f) throw notFound('FILE_NOT_FOUND', `No asset ${req.params.file} in the web app`);
    return reply.type(f.type).header('cache-control', 'public, max-age=31536000, immutable').send(f.body);
  });
  app.get('/console', { config: { access: 'public' }, schema: hidden }, async (_req, reply) => {
    const f = load(CONSOLE, 'index.html');
    if (!f) throw notFound('FILE_NOT_FOUND', 'The live console is missing');
    return reply.type(f.type).send(f.body);
  });
  app.get('/console/:file', { config: { access: 'public' }, schema: { ...hidden, params: Type.Object({ file: Type.String() }) } }, async (req, reply) => {
    const f = load(CONSOLE, req.params.file);
    if (!f) throw notFound('FILE_NOT_FOUND', `No file ${req.params.file} in the live console`);
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });
}
