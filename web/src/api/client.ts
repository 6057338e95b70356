/**
 * The one way the web app talks to the server: JSON over fetch with the
 * session token, errors turned into ApiError carrying the server's stable
 * code and message (shown to the user, never swallowed).
 */
let currentToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setApiToken(token: string | null): void {
  currentToken = token;
}
export function apiToken(): string | null {
  return currentToken;
}
/** Called when the server says the session is no longer valid (401). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sent as multipart (photos); body is ignored then. */
  form?: FormData;
  /** Sent as the raw body with its own type (the photo upload takes the image itself); body is ignored then. */
  raw?: Blob;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (currentToken) headers.authorization = `Bearer ${currentToken}`;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.raw) {
    headers['content-type'] = opts.raw.type || 'application/octet-stream';
    body = opts.raw;
  }
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(withQuery(path, opts.query), { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, signal: opts.signal });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    // The server's one error shape is {"error":{"code","message","details"}}.
    const wrapped = (parsed ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
    const err = wrapped.error ?? {};
    if (res.status === 401 && onUnauthorized) onUnauthorized();
    throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText, err.details);
  }
  return parsed as T;
}

/** An EventSource URL for server-sent streams (EventSource cannot send headers, so the token rides in the query). */
export function streamUrl(path: string, query?: RequestOptions['query']): string {
  return withQuery(path, { ...query, access_token: currentToken ?? undefined });
}
