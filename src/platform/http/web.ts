/** Serves the web app's static files (web/public) at / and /app/<file>. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { App } from './app.js';
import { notFound } from '../errors.js';

const WEB_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../web/public');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

function load(file: string): { body: Buffer; type: string } | null {
  if (!/^[a-z0-9._-]+$/i.test(file) || file.startsWith('.')) return null;
  try {
    return { body: readFileSync(path.join(WEB_ROOT, file)), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}

export function mountWeb(app: App): void {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const f = load('index.html');
    if (!f) throw notFound('WEB_APP_MISSING', 'The web app is not built');
    return reply.type(f.type).send(f.body);
  });
  app.get('/app/:file', { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ file: Type.String() }) } }, async (req, reply) => {
    const f = load(req.params.file);
    if (!f) throw notFound('FILE_NOT_FOUND', `No file ${req.params.file} in the web app`);
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });
}
