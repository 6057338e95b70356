/**
 * The two ways the NATS bus delivers events to a handler, one event at a time
 * per subscription:
 * - a group shares a durable pull consumer (explicit ack after the handler
 *   resolves; a failure is naked with a backoff delay and redelivered, up to
 *   maxDeliver; a crashed member's events go to another after ackWait);
 * - a broadcast subscriber reads an ordered consumer starting after the
 *   stream's last event, so it sees exactly what is published once it listens.
 * Either way an envelope id is handled once per subscription.
 */
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { RecentIds } from './dedupe.js';
import type { NatsRetryOptions } from './nats.js';
import type { Envelope, EventType, Handler } from './types.js';

export interface ConsumeContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subject: string;
  handler: Handler<EventType>;
  log: Logger;
  retry: NatsRetryOptions;
  prefetch: number;
}

export interface Running {
  /** Stop taking events; resolves once the event in hand is finished. */
  stop(): Promise<void>;
}

/** Pull messages, running `each` one at a time; on stop, events not yet started go back for redelivery. */
function run(messages: ConsumerMessages, each: (m: JsMsg) => Promise<void>, log: Logger, label: string): Running {
  let stopping = false;
  const loop = (async () => {
    for await (const m of messages) {
      if (stopping) {
        m.nak();
        continue;
      }
      await each(m);
    }
  })().catch((err: unknown) => log.error({ err, consumer: label }, 'NATS consumer stopped'));
  return {
    async stop() {
      if (stopping) return loop;
      stopping = true;
      await messages.close().catch(() => undefined);
      await loop;
    },
  };
}

function parse(m: JsMsg, log: Logger): Envelope | null {
  try {
    const env = m.json<Envelope>();
    if (env && typeof env.id === 'string' && typeof env.type === 'string') return env;
  } catch {
    // falls through to the log line below
  }
  log.error({ subject: m.subject, streamSeq: m.seq }, 'malformed event on the bus; dropped');
  return null;
}

/** A durable consumer name for a group and event type (letters, digits, "_" and "-" only). */
export function durableName(group: string, type: string): string {
  return `${group}__${type}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

export async function consumeGroup(ctx: ConsumeContext, group: string, type: string): Promise<Running> {
  const name = durableName(group, type);
  const limits = { ack_wait: nanos(ctx.retry.ackWaitMs), max_deliver: ctx.retry.maxDeliver, max_ack_pending: 1000 };
  const exists = await ctx.jsm.consumers.info(ctx.stream, name).then(() => true, () => false);
  if (exists) {
    await ctx.jsm.consumers.update(ctx.stream, name, limits);
  } else {
    try {
      // A new group starts with events published from now on; afterwards its position is kept by the server.
      await ctx.jsm.consumers.add(ctx.stream, { durable_name: name, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New, filter_subject: ctx.subject, ...limits });
    } catch (err) {
      // another member created it first
      if (!(await ctx.jsm.consumers.info(ctx.stream, name).then(() => true, () => false))) throw err;
    }
  }
  const consumer = await ctx.js.consumers.get(ctx.stream, name);
  const messages = await consumer.consume({ max_messages: ctx.prefetch });
  const seen = new RecentIds(10_000);
  const { backoffMs, maxDeliver, ackWaitMs } = ctx.retry;

  return run(messages, async (m) => {
    const env = parse(m, ctx.log);
    // (no reason text on term: servers before 2.10.4 ignore a "+TERM reason" ack)
    if (!env) return m.term();
    if (!seen.firstTime(env.id)) return m.ack();
    // Tell the server we are still at it, so a slow handler is not redelivered to another member.
    const keepAlive = setInterval(() => m.working(), Math.max(100, ackWaitMs / 2));
    try {
      await ctx.handler(env);
      m.ack();
    } catch (err) {
      seen.forget(env.id);
      const n = m.info.deliveryCount;
      if (n >= maxDeliver) {
        ctx.log.error({ err, event: env.type, id: env.id, deliveries: n, consumer: name }, 'event handler failed on the last delivery; giving up (the event stays in the stream)');
        m.term();
      } else {
        ctx.log.warn({ err, event: env.type, id: env.id, deliveries: n, consumer: name }, 'event handler failed; will be redelivered');
        m.nak(backoffMs[Math.min(n - 1, backoffMs.length - 1)]);
      }
    } finally {
      clearInterval(keepAlive);
    }
  }, ctx.log, name);
}

export async function consumeBroadcast(ctx: ConsumeContext): Promise<Running> {
  // Start right after the last stored event: whatever is published once subscribe() resolves is seen.
  const info = await ctx.jsm.streams.info(ctx.stream);
  const consumer = await ctx.js.consumers.get(ctx.stream, {
    filter_subjects: ctx.subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: info.state.last_seq + 1,
  });
  const messages = await consumer.consume({ max_messages: 256 });
  const seen = new RecentIds(10_000);
  // Ordered consumers cannot be redelivered: retry here like the in-process bus does.
  const attempts = Math.min(3, ctx.retry.maxDeliver);

  return run(messages, async (m) => {
    const env = parse(m, ctx.log);
    if (!env || !seen.firstTime(env.id)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.handler(env);
        return;
      } catch (err) {
        if (attempt >= attempts) {
          ctx.log.error({ err, event: env.type, id: env.id, attempts }, 'event handler failed; giving up');
          return;
        }
      }
    }
  }, ctx.log, `broadcast ${ctx.subject}`);
}
