// The harness's CPU, by the kernel's own accounting: the user and system time of a process and of
// every descendant, live or already exited. An exited child's time is in its parent's cutime/cstime
// once reaped, and every live process is counted once, so summing utime+stime+cutime+cstime over the
// live tree counts each CPU second exactly once (nothing of the tree is reparented: it has no daemons).
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** cutime + cstime: the reaped children's share of `ticks`. */
  childTicks: number;
}

/** One /proc/<pid>/stat line; the command name (field 2) may hold spaces and parentheses. */
export function parseProcStat(line: string): ProcStat | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // After ") ": state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
  const f = line.slice(close + 2).trim().split(/\s+/);
  const [ppid, utime, stime, cutime, cstime] = [f[1], f[11], f[12], f[13], f[14]].map(Number);
  if (![pid, ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  return { pid, ppid: ppid!, ticks: utime! + stime! + cutime! + cstime!, childTicks: cutime! + cstime! };
}

/** CPU seconds of `root` and its descendants among `stats`. */
export function treeCpuSeconds(stats: ProcStat[], root: number): number {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const seen = new Set<number>();
  const queue = stats.filter((s) => s.pid === root);
  while (queue.length) {
    const s = queue.pop()!;
    if (seen.has(s.pid)) continue;
    seen.add(s.pid);
    ticks += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return ticks / ticksPerSecond;
}

/** CPU seconds of this process's children that have exited and been reaped. */
export function reapedChildrenSeconds(): number {
  const self = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  return (self?.childTicks ?? 0) / ticksPerSecond;
}

/** Every process's stat on this machine, now. */
export function readProcStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const s = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (s) stats.push(s);
    } catch {
      // exited between the listing and the read
    }
  }
  return stats;
}
