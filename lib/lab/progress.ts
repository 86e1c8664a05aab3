// Progress output of the lab modules: lib/log.ts, except that `labUp({progress: false})` silences the
// step and info lines (warnings always show).
import { log } from '../log.ts';

let quiet = false;

export function setLabQuiet(q: boolean): void {
  quiet = q;
}

export const plog = {
  info(msg: string): void {
    if (!quiet) log.info(msg);
  },
  step(msg: string): void {
    if (!quiet) log.step(msg);
  },
  warn(msg: string): void {
    log.warn(msg);
  },
  debug(msg: string): void {
    log.debug(msg);
  },
};
