/** Test support for the live stream: a small SSE client over node:http, and a client that never reads. */
import http from 'node:http';
import net from 'node:net';

export type LiveRow = [string, number, number];

/** snapshot and reading events carry rows; dropped events carry {count}. */
export interface LiveEvent {
  event: string;
  rows: LiveRow[];
  data: unknown;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: LiveEvent[];
  comments: string[];
  ended: boolean;
  /** Resolves with the first event (from index `from`) that satisfies pred. */
  waitFor(pred: (e: LiveEvent) => boolean, from?: number, ms?: number): Promise<LiveEvent>;
  /** Body of a non-200 answer. */
  body: string;
  close(): void;
}

/** Open GET <base><path> and parse text/event-stream frames as they arrive. */
export function openSse(base: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const waiters: Array<() => void> = [];
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        ended: false,
        body: '',
        waitFor(pred, from = 0, ms = 5000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching live event within ${ms} ms; got ${client.events.map((e) => e.event).join(',')}`)), ms);
            const check = () => {
              const hit = client.events.slice(from).find(pred);
              if (hit) {
                clearTimeout(timer);
                ok(hit);
                return true;
              }
              return false;
            };
            // Re-arm after every chunk until a matching event arrives (or the timer fails the wait).
            const again = () => {
              if (!check()) waiters.push(again);
            };
            if (!check()) waiters.push(again);
          });
        },
        close: () => req.destroy(),
      };
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (client.status !== 200) {
          client.body += chunk;
          return;
        }
        buf += chunk;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const lines = frame.split('\n');
          const ev = lines.find((l) => l.startsWith('event: '));
          const data = lines.find((l) => l.startsWith('data: '));
          if (ev && data) {
            const parsed: unknown = JSON.parse(data.slice(6));
            client.events.push({ event: ev.slice(7), rows: Array.isArray(parsed) ? (parsed as LiveRow[]) : [], data: parsed });
          }
          for (const l of lines) if (l.startsWith(': ')) client.comments.push(l.slice(2));
        }
        waiters.splice(0).forEach((w) => w());
      });
      res.on('end', () => {
        client.ended = true;
      });
      res.on('error', () => undefined);
      if (client.status === 200) resolve(client);
      else res.on('end', () => resolve(client));
    });
    req.on('error', reject);
  });
}

/** A client that sends the request and then never reads a byte (its socket is paused). */
export function openStuckClient(base: string, path: string, headers: Record<string, string>): Promise<net.Socket> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) }, () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: ${u.host}`, 'Accept: text/event-stream', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      sock.write(`${lines.join('\r\n')}\r\n\r\n`);
      sock.pause();
      resolve(sock);
    });
    sock.on('error', reject);
  });
}
