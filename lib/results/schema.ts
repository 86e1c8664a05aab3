// Runtime mirror of model.ts, so a results.json read back from disk (an old run, a hand-edited file,
// something that is not ours at all) is checked before any report trusts it. The type assertions at the
// bottom make `tsc` fail as soon as this schema and model.ts drift apart in either direction.
import { z } from 'zod';
import type {
  ChaosExperiment,
  CheckResult,
  EnvironmentFingerprint,
  ForcedRemoval,
  Measurement,
  ProbeResult,
  RunResult,
  Series,
  SuiteResult,
  TimelineEvent,
} from './model.ts';

/** ISO-8601 with a zone (`Z` or `+02:00`): a time without one cannot be compared across machines. */
const isoTime = z.iso.datetime({ offset: true });
const labels = z.record(z.string(), z.string());
const verdict = z.enum(['passed', 'failed', 'skipped']);
const durationMs = z.number().nonnegative();

export const measurementSchema = z.object({
  name: z.string().min(1),
  value: z.number(),
  unit: z.string(),
  at: isoTime,
  check: z.string().optional(),
  labels: labels.optional(),
});

export const seriesSchema = z.object({
  name: z.string().min(1),
  unit: z.string(),
  labels: labels.optional(),
  points: z.array(z.object({ at: isoTime, value: z.number() })),
});

export const timelineEventSchema = z.object({
  name: z.string().min(1),
  at: isoTime,
  labels: labels.optional(),
});

export const probeResultSchema = z.object({
  name: z.string().min(1),
  phase: z.enum(['before', 'during', 'after']),
  passed: z.boolean(),
  at: isoTime,
  detail: z.string().optional(),
});

export const chaosExperimentSchema = z.object({
  name: z.string().min(1),
  target: z.string(),
  verdict: z.enum(['Pass', 'Fail', 'Stopped']),
  resiliencyScore: z.number().min(0).max(100),
  startedAt: isoTime,
  faultAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  probes: z.array(probeResultSchema),
});

export const forcedRemovalSchema = z.object({
  object: z.string().min(1),
  finalizers: z.array(z.string()),
  afterSeconds: z.number().nonnegative(),
  at: isoTime,
});

export const checkResultSchema = z.object({
  name: z.string().min(1),
  verdict,
  reason: z.string().optional(),
  startedAt: isoTime.optional(),
  durationMs,
  evidence: z.string().optional(),
});

export const suiteResultSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  verdict,
  reason: z.string().optional(),
  needs: z.array(z.string()),
  namespace: z.string().optional(),
  startedAt: isoTime.optional(),
  durationMs,
  checks: z.array(checkResultSchema),
  measurements: z.array(measurementSchema),
  series: z.array(seriesSchema),
  events: z.array(timelineEventSchema),
  experiments: z.array(chaosExperimentSchema).optional(),
  forcedRemovals: z.array(forcedRemovalSchema).optional(),
});

export const environmentFingerprintSchema = z.object({
  capturedAt: isoTime,
  target: z.enum(['lab', 'cluster']),
  kubernetesVersion: z.string().optional(),
  nodeCount: z.number().int().nonnegative().optional(),
  operatorVersion: z.string().optional(),
  flinkVersion: z.string().optional(),
  cassandraVersion: z.string().optional(),
  details: labels.optional(),
});

export const runResultSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().min(1),
  profile: z.string(),
  selection: z.object({ suites: z.array(z.string()), grep: z.string().optional() }).optional(),
  startedAt: isoTime,
  finishedAt: isoTime,
  verdict,
  environment: environmentFingerprintSchema,
  config: z.unknown(),
  suites: z.array(suiteResultSchema),
});

// --- drift guards: each line fails to compile if schema and model disagree ---
// Mutual assignability alone would let an optional field go missing on one side, so keys are compared too.
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
function assertSame<T extends true>(): T | void {}
assertSame<Same<z.infer<typeof measurementSchema>, Measurement>>();
assertSame<Same<z.infer<typeof seriesSchema>, Series>>();
assertSame<Same<z.infer<typeof timelineEventSchema>, TimelineEvent>>();
assertSame<Same<z.infer<typeof probeResultSchema>, ProbeResult>>();
assertSame<Same<z.infer<typeof chaosExperimentSchema>, ChaosExperiment>>();
assertSame<Same<z.infer<typeof forcedRemovalSchema>, ForcedRemoval>>();
assertSame<Same<z.infer<typeof checkResultSchema>, CheckResult>>();
assertSame<Same<z.infer<typeof suiteResultSchema>, SuiteResult>>();
assertSame<Same<z.infer<typeof environmentFingerprintSchema>, EnvironmentFingerprint>>();
assertSame<Same<z.infer<typeof runResultSchema>, RunResult>>();
