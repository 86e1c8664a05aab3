// 08's reads of the table as a whole, judged: every car of the generator has its partition, and a full
// paged count completes with at least one row per car. An empty table never passes.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export function judgePartitions(o: { table: string; expectedCars: number; carIds: number[] }): Judgement {
  const missing = Array.from({ length: o.expectedCars }, (_, i) => i).filter((c) => !o.carIds.includes(c));
  const extra = o.carIds.filter((c) => c < 0 || c >= o.expectedCars);
  if (o.carIds.length === o.expectedCars && missing.length === 0) return pass(`${o.expectedCars} partitions (carid 0..${o.expectedCars - 1}) in ${o.table}`);
  const parts = [missing.length > 0 ? `missing carid ${missing.join(', ')}` : '', extra.length > 0 ? `unexpected carid ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
  return fail(`${o.carIds.length} partitions (distinct carid) in ${o.table}, expected ${o.expectedCars} (pipeline.cars): ${parts || `carid ${o.carIds.join(', ')}`}`);
}

export function judgeFullCount(o: { table: string; rows: number; pages: number; seconds: number; atLeast: number; error?: string }): Judgement {
  if (o.error) return fail(`a paged count of ${o.table} did not complete after ${o.seconds} s: ${o.error}`);
  if (o.rows < o.atLeast) return fail(`a paged count of ${o.table} found ${o.rows} rows in ${o.pages} pages, expected at least ${o.atLeast} (one per car)`);
  return pass(`${o.rows} rows counted in ${o.table} in ${o.pages} pages, ${o.seconds} s`);
}
