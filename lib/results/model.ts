// The shape of results.json: the one record of a run that every report (JUnit, HTML, Allure,
// trends, certification bundle) is derived from. Bump schemaVersion on any incompatible change.
import type { ForcedRemoval } from '../k8s/objects.ts';

export type Verdict = 'passed' | 'failed' | 'skipped';

/** A single figure, always with a unit and the time it was taken. */
export interface Measurement {
  /** Stable name within its suite, e.g. `rto`, `timeToRunning`, `writesPerSecond`. */
  name: string;
  value: number;
  /** `s`, `ms`, `count`, `1/s`, `bytes`, `%`, ... */
  unit: string;
  /** ISO-8601 time the figure was taken. */
  at: string;
  /** The check that recorded it, when recorded inside one. */
  check?: string;
  /** Qualifiers that make the figure comparable across runs, e.g. `{variant: 'session'}`, `{parallelism: '4'}`. */
  labels?: Record<string, string>;
}

/** A figure over time: replicas, parallelism, write count. */
export interface Series {
  name: string;
  unit: string;
  labels?: Record<string, string>;
  points: { at: string; value: number }[];
}

/** A moment worth marking on a timeline: a kill, a pod Ready, a job RUNNING. */
export interface TimelineEvent {
  name: string;
  at: string;
  labels?: Record<string, string>;
}

/** One steady-state probe of a chaos experiment (Litmus style), taken before, during or after the fault. */
export interface ProbeResult {
  name: string;
  phase: 'before' | 'during' | 'after';
  passed: boolean;
  at: string;
  /** What was seen, e.g. `writes 120/s` or `job RUNNING`; why it failed. */
  detail?: string;
}

/** A chaos experiment: a fault injected while probes watch the steady state. */
export interface ChaosExperiment {
  name: string;
  /** What the fault hit, e.g. `pod sc-…-09/pipeline-taskmanager-1-1`. */
  target: string;
  /** Pass: every probe passed; Fail: one did not; Stopped: the experiment did not finish. */
  verdict: 'Pass' | 'Fail' | 'Stopped';
  /** Share of probes that passed (each probe weighs 1), in percent. */
  resiliencyScore: number;
  startedAt: string;
  /** When the fault was injected. */
  faultAt?: string;
  finishedAt?: string;
  probes: ProbeResult[];
}

// A finalizer removal teardown forced (its shape lives with the deletion that forces it).
export type { ForcedRemoval };

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** Why it failed or was skipped; absent when passed. */
  reason?: string;
  startedAt?: string;
  durationMs: number;
  /** Path of the evidence folder relative to the run's report folder. */
  evidence?: string;
}

export interface SuiteResult {
  /** `NN-name`, e.g. `04-jobmanager-ha`. */
  id: string;
  title: string;
  verdict: Verdict;
  reason?: string;
  needs: string[];
  namespace?: string;
  startedAt?: string;
  durationMs: number;
  checks: CheckResult[];
  measurements: Measurement[];
  series: Series[];
  events: TimelineEvent[];
  /** Chaos experiments the suite ran (09-chaos); absent elsewhere. */
  experiments?: ChaosExperiment[];
  /** Finalizers teardown had to remove; absent when every deletion finished on its own. */
  forcedRemovals?: ForcedRemoval[];
}

export interface EnvironmentFingerprint {
  capturedAt: string;
  target: 'lab' | 'cluster';
  kubernetesVersion?: string;
  nodeCount?: number;
  operatorVersion?: string;
  flinkVersion?: string;
  cassandraVersion?: string;
  /** Anything else worth keeping: platform, storage classes, kubeconfig context names. */
  details?: Record<string, string>;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  /** `default`, `nightly`, `certification`. */
  profile: string;
  /** What `--suite` / `--grep` narrowed the run to (a partial certification says so here); absent when nothing was narrowed. */
  selection?: { suites: string[]; grep?: string };
  startedAt: string;
  finishedAt: string;
  verdict: Verdict;
  environment: EnvironmentFingerprint;
  /** The effective configuration with secrets masked. */
  config: unknown;
  suites: SuiteResult[];
}

// How verdicts are decided lives in one place: verdict.ts.
export { overallVerdict, suiteVerdict } from './verdict.ts';
