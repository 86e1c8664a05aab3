// Whether a deletion finished on its own: the object is gone, and so is every object that hung on it
// (pods, services). Forcing a finalizer would make any deletion "finish", so a check observes the
// deletion with nothing forced and this judge decides over what was left at the deadline.
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { K8sObject } from './objects.ts';

export interface DeletionObservation {
  /** What was deleted, e.g. `FlinkDeployment sc-…-02/app`. */
  object: string;
  /** Whether it existed when its deletion was requested: deleting nothing proves nothing. */
  existedAtRequest: boolean;
  deadlineSeconds: number;
  /** Seconds from the request until all was gone, or until the deadline. */
  elapsedSeconds: number;
  /** The object itself while it is still there. */
  remaining?: { finalizers: string[]; terminating: boolean };
  /** Which dependents were looked for, e.g. `pods and services labelled app=app`. */
  dependentsWatched: string;
  /** Dependents still there: `Pod app-taskmanager-1-1 (terminating)`. */
  dependentsLeft: string[];
}

/** What a deletion left, from the objects read at the deadline (or once all was gone). */
export function observeDeletion(o: {
  object: string;
  existedAtRequest: boolean;
  deadlineSeconds: number;
  elapsedSeconds: number;
  dependentsWatched: string;
  current?: K8sObject;
  dependents: K8sObject[];
}): DeletionObservation {
  const terminating = (obj: K8sObject) => Boolean(obj.metadata.deletionTimestamp);
  return {
    object: o.object,
    existedAtRequest: o.existedAtRequest,
    deadlineSeconds: o.deadlineSeconds,
    elapsedSeconds: o.elapsedSeconds,
    dependentsWatched: o.dependentsWatched,
    ...(o.current
      ? { remaining: { finalizers: (o.current.metadata.finalizers as string[] | undefined) ?? [], terminating: terminating(o.current) } }
      : {}),
    dependentsLeft: o.dependents.map((d) => `${d.kind ?? 'object'} ${d.metadata.name}${terminating(d) ? ' (terminating)' : ''}`),
  };
}

export function judgeDeletion(o: DeletionObservation): Judgement {
  if (!o.existedAtRequest) return fail(`${o.object} did not exist when its deletion was requested: there was no deletion to judge`);
  const within = `${o.deadlineSeconds} s after its deletion was requested`;
  if (o.remaining) {
    if (!o.remaining.terminating) return fail(`${o.object} is still there ${within} and not terminating: the deletion was not accepted`);
    const held =
      o.remaining.finalizers.length > 0
        ? `held by finalizer${o.remaining.finalizers.length > 1 ? 's' : ''} ${o.remaining.finalizers.join(', ')}`
        : 'with no finalizer left';
    const also = o.dependentsLeft.length > 0 ? `; also left: ${o.dependentsLeft.join(', ')}` : '';
    return fail(`${o.object} still terminating ${within}, ${held}: whoever owns it did not finish its cleanup (see the operator log in the evidence)${also}`);
  }
  if (o.dependentsLeft.length > 0) {
    return fail(`${o.object} is gone but ${within} ${o.dependentsWatched} are left: ${o.dependentsLeft.join(', ')}`);
  }
  return pass(`${o.object} gone, and no ${o.dependentsWatched} left, ${o.elapsedSeconds} s after its deletion was requested (deadline ${o.deadlineSeconds} s, nothing forced)`);
}
