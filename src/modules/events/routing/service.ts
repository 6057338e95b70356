/**
 * Routing and learning-loop use cases: manage the routing rules (validated
 * against the taxonomy and the org tree), pick the lead department at intake,
 * keep dispatchers' corrections as classifier labels, and retrain the
 * classifier from them (adopting the new model only if it scores no worse on
 * the held-out split; retrainClassifier enforces that), swapping the live one.
 * Training runs in a worker thread (tens of seconds of CPU on the full corpus)
 * as a job: one at a time, and a second request joins the running one.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Actor, OrgDirectory } from '../../../platform/auth/types.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest, isAppError, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Taxonomy } from '../timelimits.logic.js';
import type { Classification, Classifier } from '../types.js';
import { DEFAULT_MODEL_FILE } from '../classifier/corpus.js';
import { createClassifier } from '../classifier/index.js';
import { retrainInWorker, type RetrainRun } from '../classifier/retrain.thread.js';
import { labelsToExamples, route, type RouteDecision } from './routing.logic.js';
import type { ClassifierLabel, RoutingStore, StoredRule } from './store.js';

export interface NewRule { priority?: number; category?: string | null; orgUnitId?: string | null; department: string }

/** The classifier the service uses; retraining swaps what it delegates to. */
export interface LiveClassifier {
  readonly version: string;
  classify(text: string): Classification;
}

export interface LearningOptions {
  /** Where adopted models are written (the server loads it at start when present). */
  modelFile?: string;
  /** Corpus folder (train/heldout splits); the repository's by default. */
  corpusDir?: string;
  taxonomyFile?: string;
}

export interface RetrainReport { adopted: boolean; written: boolean; labels: number; examples: number; version: string; candidate: { version: string; accuracy: number }; current: { version: string; accuracy: number } | null }

export type RetrainState = 'running' | 'succeeded' | 'failed';

/** One retraining: the latest is kept in memory (per server process) for GET /api/v1/routing/retrain. */
export interface RetrainJob {
  id: string;
  state: RetrainState;
  startedAt: number;
  startedBy: string;
  finishedAt: number | null;
  report: RetrainReport | null;
  error: { code: string; message: string } | null;
}

/** Who starts the nightly run, in the audit log. */
export const NIGHTLY_ACTOR = 'system:routing';

export interface RoutingDeps {
  store: RoutingStore;
  org: OrgDirectory;
  taxonomy: Taxonomy;
  clock: Clock;
  audit: AuditLog;
  /** The classifier to serve and retrain; without a version it is served as is and never swapped. */
  classifier?: Classifier & { readonly version?: string };
  learning?: LearningOptions;
}

/** The model file adopted models go to, in the data directory. */
export const learnedModelFile = (dataDir: string) => path.join(dataDir, 'classifier', 'model.json');

/** How long intake reuses the rules it read: a change made by another process shows within this. */
const RULES_TTL_MS = 5_000;

/** The retraining in progress: its job, its report when done, and its outcome recorded. */
interface Running { job: RetrainJob; audited: Promise<unknown>; done: Promise<RetrainReport>; settled: Promise<void>; worker?: RetrainRun; stopped: boolean }

export function createRoutingService(d: RoutingDeps) {
  // Every intake routes, rules change rarely: one read serves a few seconds; a change here drops it at once.
  let cached: { at: number; rules: Promise<StoredRule[]> } | null = null;
  const currentRules = () => {
    const now = d.clock.now();
    if (!cached || now - cached.at >= RULES_TTL_MS || now < cached.at) {
      const rules = d.store.rules();
      cached = { at: now, rules };
      rules.catch(() => { if (cached?.rules === rules) cached = null; });
    }
    return cached.rules;
  };
  let current: (Classifier & { readonly version?: string }) | undefined = d.classifier;
  const live: LiveClassifier | undefined = current && {
    get version() { return current?.version ?? 'unversioned'; },
    classify: (text: string) => current!.classify(text),
  };

  async function validate(r: NewRule): Promise<void> {
    if (r.category != null && !d.taxonomy.categories.some((c) => c.code === r.category)) {
      throw badRequest('UNKNOWN_CATEGORY', `Unknown category "${r.category}"; use a code from the taxonomy, or leave it out for any category`);
    }
    if (!d.taxonomy.departments.some((x) => x.code === r.department)) {
      throw badRequest('UNKNOWN_DEPARTMENT', `Unknown department "${r.department}"; use one of ${d.taxonomy.departments.map((x) => x.code).join(', ')}`);
    }
    if (r.orgUnitId != null && !(await d.org.get(r.orgUnitId))) {
      throw badRequest('UNKNOWN_ORG_UNIT', `Unknown org unit "${r.orgUnitId}"; use the id of a district, street or grid`);
    }
    if (r.category == null && r.orgUnitId == null) {
      throw badRequest('RULE_TOO_BROAD', 'A rule needs a category, an org unit, or both; a rule for everything everywhere would replace the taxonomy');
    }
  }

  let latest: RetrainJob | null = null;
  let running: Running | null = null;

  /** Trains in a worker on the corpus plus the stored labels; swaps the live classifier if the new model is adopted. */
  async function train(run: Running): Promise<RetrainReport> {
    const labels = await d.store.labels();
    const extraExamples = labelsToExamples(labels);
    const modelFile = d.learning?.modelFile;
    if (modelFile && !existsSync(modelFile)) {
      // The first run judges against the model the server started with.
      await mkdir(path.dirname(modelFile), { recursive: true });
      await copyFile(DEFAULT_MODEL_FILE, modelFile);
    }
    if (run.stopped) throw new Error('classifier retraining was stopped');
    run.worker = retrainInWorker({ extraExamples, modelFile, corpusDir: d.learning?.corpusDir, taxonomyFile: d.learning?.taxonomyFile, dryRun: !modelFile });
    const r = await run.worker.result;
    if (r.adopted && current && r.candidate.version !== current.version) current = createClassifier(r.model);
    return {
      adopted: r.adopted, written: r.written, labels: labels.length, examples: r.examples, version: current?.version ?? r.candidate.version,
      candidate: { version: r.candidate.version, accuracy: r.candidate.accuracy },
      current: r.current ? { version: r.current.version, accuracy: r.current.accuracy } : null,
    };
  }

  /** The running retraining, or a new one started by `actor`. */
  function begin(actor: Actor): Running {
    if (running) return running;
    const job: RetrainJob = { id: newId('rtj'), state: 'running', startedAt: d.clock.now(), startedBy: typeof actor === 'string' ? actor : actor.id, finishedAt: null, report: null, error: null };
    // Claimed before the first await, so two requests in the same tick still share one job.
    const run = { job, stopped: false } as Running;
    run.audited = d.audit.append({ actor, action: 'routing.retrain_started', targetType: 'classifier_retrain', targetId: job.id, details: {} });
    run.done = run.audited.then(() => train(run));
    run.settled = run.done.then(
      (report) => finish(job, actor, { state: 'succeeded', report }),
      (err: unknown) => finish(job, actor, {
        state: 'failed',
        error: run.stopped ? { code: 'RETRAIN_STOPPED', message: 'The server stopped during the retraining; start it again' }
          : { code: isAppError(err) ? err.code : 'RETRAIN_FAILED', message: (err as Error).message || String(err) },
      }),
    ).finally(() => { if (running === run) running = null; });
    // Callers that only poll the job never read `done`; its failure is recorded on the job instead.
    run.done.catch(() => undefined);
    running = run;
    latest = job;
    return run;
  }

  async function startRetrain(actor: Actor): Promise<RetrainJob> {
    const run = begin(actor);
    await run.audited;
    return { ...run.job };
  }

  /** Records the outcome in the audit log, then on the job: whoever sees the job finished finds its audit entry. */
  async function finish(job: RetrainJob, actor: Actor, outcome: Pick<RetrainJob, 'state'> & Partial<Pick<RetrainJob, 'report' | 'error'>>): Promise<void> {
    const finishedAt = d.clock.now();
    const r = outcome.report;
    const details = r
      ? { adopted: r.adopted, written: r.written, version: r.version, labels: r.labels, examples: r.examples, candidate: r.candidate, current: r.current }
      : { error: outcome.error };
    try {
      await d.audit.append({ actor, action: outcome.state === 'succeeded' ? 'routing.retrain_succeeded' : 'routing.retrain_failed', targetType: 'classifier_retrain', targetId: job.id, details });
    } catch {
      // The outcome still goes on the job; an audit log closing under a shutdown must not crash the process.
    } finally {
      Object.assign(job, { report: null, error: null, ...outcome, finishedAt });
    }
  }

  return {
    classifier: live,

    rules: () => d.store.rules(),

    async addRule(r: NewRule, actor: Actor, actorId: string): Promise<StoredRule> {
      await validate(r);
      const rule: StoredRule = {
        id: newId('rrl'), priority: r.priority ?? 100, category: r.category ?? null, orgUnitId: r.orgUnitId ?? null,
        department: r.department, createdAt: d.clock.now(), createdBy: actorId,
      };
      await d.store.insertRule(rule);
      cached = null;
      await d.audit.append({ actor, action: 'routing.rule_added', targetType: 'routing_rule', targetId: rule.id, details: { ...rule } });
      return rule;
    },

    async deleteRule(id: string, actor: Actor): Promise<void> {
      if (!(await d.store.deleteRule(id))) throw notFound('RULE_NOT_FOUND', `No routing rule ${id}`);
      cached = null;
      await d.audit.append({ actor, action: 'routing.rule_deleted', targetType: 'routing_rule', targetId: id, details: {} });
    },

    /** The lead department for a category at a place. */
    async route(category: string, orgPath: string | null): Promise<RouteDecision> {
      const cat = d.taxonomy.categories.find((c) => c.code === category);
      return route(await currentRules(), { category, orgPath, taxonomyDepartment: cat?.department ?? null });
    },

    async recordLabel(l: Omit<ClassifierLabel, 'id' | 'at'>): Promise<void> {
      await d.store.insertLabel({ ...l, id: newId('lbl'), at: d.clock.now() });
    },

    labels: (eventId?: string) => d.store.labels(eventId),

    /**
     * Starts a retraining in a worker thread and answers at once with its job;
     * while one runs, a second call joins it (same job, no second start audited).
     */
    startRetrain,

    /** Retrain and wait until the outcome is recorded (the nightly job; tests): joins a running retraining. */
    async retrainNow(actor: Actor = NIGHTLY_ACTOR): Promise<RetrainReport> {
      const run = begin(actor);
      await run.settled;
      return run.done;
    },

    /** The latest retraining job (running or finished), or null if none ran since the server started. */
    retrainJob: (): RetrainJob | null => (latest ? { ...latest } : null),

    /** Stops a running retraining (server shutdown) and waits until its outcome is recorded. */
    async stopRetraining(): Promise<void> {
      const r = running;
      if (!r) return;
      r.stopped = true;
      await r.worker?.cancel();
      await r.settled;
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
