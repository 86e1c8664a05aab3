// A chaos experiment in the Litmus style: steady-state probes before the fault, continuously during
// it, and after it; a verdict (Pass only if every probe passed) and a resiliency score (the share of
// probes that passed). The record lands in results.json under the suite's `experiments`.
import type { ChaosExperiment, ProbeResult } from '../results/model.ts';
import type { SuiteHandle } from '../suite/handle.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';
import { log } from '../log.ts';
import { nowIso, pollPause } from '../util/time.ts';

export interface Probe {
  name: string;
  /** Resolves with what it saw when the steady state holds; throws (saying what it saw) when not. */
  run: () => Promise<string>;
}

export interface ContinuousProbe {
  /** Stops sampling; the probe passed if at least `minSuccessRatio` of its samples passed. */
  stop(): Promise<ProbeResult>;
}

export class Experiment {
  readonly record: ChaosExperiment;

  constructor(
    private readonly s: SuiteHandle,
    name: string,
    target: string,
  ) {
    this.record = { name, target, verdict: 'Stopped', resiliencyScore: 0, startedAt: nowIso(), probes: [] };
    s.meta.experiments.push(this.record);
  }

  private add(result: ProbeResult): ProbeResult {
    this.record.probes.push(result);
    this.score();
    log.info(`  ${result.passed ? '✓' : '✗'} probe [${result.phase}] ${result.name}: ${result.detail ?? ''}`);
    return result;
  }

  private score(): void {
    const passed = this.record.probes.filter((p) => p.passed).length;
    this.record.resiliencyScore = this.record.probes.length ? Math.round((passed / this.record.probes.length) * 1000) / 10 : 0;
  }

  /** A one-shot probe (before the fault, once while it lasts, or after it). */
  async probe(phase: 'before' | 'during' | 'after', probe: Probe): Promise<ProbeResult> {
    const at = nowIso();
    try {
      return this.add({ name: probe.name, phase, passed: true, at, detail: await probe.run() });
    } catch (err) {
      return this.add({ name: probe.name, phase, passed: false, at, detail: (err as Error).message.split('\n')[0] });
    }
  }

  /** Samples `probe` every `intervalMs` until stopped (Litmus' continuous mode). */
  continuous(probe: Probe, intervalMs: number, minSuccessRatio = 1): ContinuousProbe {
    const at = nowIso();
    let stopped = false;
    let passed = 0;
    let failed = 0;
    let lastFailure: string | undefined;
    let lastSeen = '';
    const loop = (async () => {
      while (!stopped) {
        try {
          lastSeen = await probe.run();
          passed += 1;
        } catch (err) {
          failed += 1;
          lastFailure = (err as Error).message.split('\n')[0];
        }
        if (!stopped) await pollPause(intervalMs);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
        const total = passed + failed;
        const ok = total > 0 && passed / total >= minSuccessRatio;
        const ratio = `${passed}/${total} samples passed (needed ${Math.round(minSuccessRatio * 100)}%)`;
        return this.add({
          name: probe.name,
          phase: 'during',
          passed: ok,
          at,
          detail: ok ? `${ratio}; last: ${lastSeen}` : `${ratio}; last failure: ${lastFailure ?? 'no sample taken'}`,
        });
      },
    };
  }

  /** Names the target once it is chosen (the node coordinating a writer is known only at the kill). */
  aim(target: string): void {
    this.record.target = target;
  }

  fault(description: string, labels?: Record<string, string>): Date {
    const at = this.s.mark('fault', { experiment: this.record.name, ...labels });
    this.record.faultAt = at.toISOString();
    log.info(`  ⚡ ${this.record.name}: ${description}`);
    return at;
  }

  /** Closes the experiment: Pass when every probe passed. Returns the failed probes, for the step's assertion. */
  finish(): ProbeResult[] {
    this.record.finishedAt = nowIso();
    const failed = this.record.probes.filter((p) => !p.passed);
    this.record.verdict = failed.length === 0 && this.record.probes.length > 0 ? 'Pass' : 'Fail';
    this.score();
    this.s.record('resiliencyScore', this.record.resiliencyScore, '%', { experiment: this.record.name });
    return failed;
  }
}

/** Failed probes as one line each, for an assertion message. */
export function describeFailedProbes(failed: ProbeResult[]): string {
  return failed.map((p) => `[${p.phase}] ${p.name}: ${p.detail ?? ''}`).join('\n');
}

/** A probe whose decision is a judge's: passes with its reason, fails with it. */
export function judged(name: string, judge: () => Promise<Judgement>): Probe {
  return {
    name,
    run: async () => {
      const verdict = await judge();
      if (!verdict.ok) throw new Error(verdict.reason);
      return verdict.reason;
    },
  };
}

/** The experiment's verdict as a check: every probe passed; an experiment with no probe never passes. */
export function judgeExperiment(e: ChaosExperiment): Judgement {
  if (e.probes.length === 0) return fail(`${e.name} on ${e.target}: no probe ran`);
  const failed = e.probes.filter((p) => !p.passed);
  if (failed.length > 0) return fail(`${e.name} on ${e.target}: ${failed.length} of ${e.probes.length} probes failed:\n${describeFailedProbes(failed)}`);
  return pass(`${e.name} on ${e.target}: all ${e.probes.length} probes passed`);
}
