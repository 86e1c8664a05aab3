// 07's two login checks as judges: the operator's superuser secret must open a CQL session that
// answers, and a wrong password must be refused by Cassandra's authenticator. A refusal is the only
// acceptable answer to a wrong password: a timeout says nothing about authentication (the node may
// simply be unreachable), and a login that succeeds means authentication is not enforced at all.
// Observations carry the username and never the password (they are written to disk when recorded).
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface LoginError {
  /** The error's class, e.g. `CqlAuthenticationError`, `Error`. */
  name: string;
  /** Its message, any password in it masked. */
  message: string;
}

export interface SuperuserLoginObservation {
  /** The role the secret names; undefined: the credentials could not be read. */
  username?: string;
  /** Where the credentials came from: `secret ns/demo-superuser`, or the configuration's override. */
  credentialsFrom: string;
  /** What the session reaches: `service ns/demo-dc1-service`, `address host:9042`. */
  where: string;
  loggedIn: boolean;
  /** Why there is no session (or why the first query over it failed). */
  error?: LoginError;
  /** system.local release_version over the new session: proof that it answers queries. */
  releaseVersion?: string;
  /** The round trip of that query. */
  roundTripMs?: number;
  /** From asking for the credentials to an open session. */
  secondsToLogin?: number;
}

/** The driver's own words, without the `CQL login as … refused by …: ` prefix cql.ts puts before them (the reason says it). */
function detail(e: LoginError, username: string, where: string): string {
  for (const prefix of [`CQL login as ${username} refused by ${where}: `, `cannot reach CQL at ${where}: `]) {
    if (e.message.startsWith(prefix)) return e.message.slice(prefix.length);
  }
  return e.message;
}

export function judgeSuperuserLogin(o: SuperuserLoginObservation): Judgement {
  if (o.username === undefined) {
    return fail(`the superuser credentials could not be read from ${o.credentialsFrom}: ${o.error ? `${o.error.name}: ${o.error.message}` : 'no error recorded'}`);
  }
  const from = `credentials from ${o.credentialsFrom}`;
  if (!o.loggedIn) {
    if (!o.error) return fail(`no CQL login as ${o.username} at ${o.where} observed (${from}): no session and no error recorded`);
    if (o.error.name === 'CqlAuthenticationError') return fail(`CQL login as ${o.username} refused by ${o.where} (${from}): ${detail(o.error, o.username, o.where)}`);
    return fail(`no CQL session as ${o.username} at ${o.where} (${from}): ${o.error.name}: ${detail(o.error, o.username, o.where)}`);
  }
  if (o.releaseVersion === undefined || o.roundTripMs === undefined) {
    const seen = o.error ? `${o.error.name}: ${o.error.message}` : 'no answer recorded';
    return fail(`logged in as ${o.username} at ${o.where}, but the session did not answer SELECT release_version FROM system.local: ${seen}`);
  }
  return pass(`logged in as ${o.username} at ${o.where} (${from}); Cassandra ${o.releaseVersion} answered system.local in ${o.roundTripMs} ms`);
}

export interface WrongPasswordObservation {
  username: string;
  where: string;
  /** refused: CqlAuthenticationError, Cassandra's authenticator said no; error: anything else; logged in: accepted (!). */
  outcome: 'refused' | 'error' | 'logged in';
  error?: LoginError;
  /** From the attempt to its outcome. */
  elapsedMs: number;
}

/** A timeout is worth naming as such: it is what the check exists to tell apart from a refusal. */
function describeError(e: LoginError, username: string, where: string): string {
  const kind = /timed? ?out|timeout/i.test(e.message) ? 'a timeout' : 'a connection error';
  return `${kind}, ${e.name}: ${detail(e, username, where)}`;
}

export function judgeWrongPasswordRefused(o: WrongPasswordObservation): Judgement {
  const attempt = `a login as ${o.username} with a wrong password at ${o.where}`;
  if (o.outcome === 'refused' && o.error?.name === 'CqlAuthenticationError') {
    return pass(`${attempt} was refused as an authentication error in ${o.elapsedMs} ms: ${detail(o.error, o.username, o.where)}`);
  }
  if (o.outcome === 'logged in') {
    return fail(`${attempt} succeeded in ${o.elapsedMs} ms, expected CqlAuthenticationError: Cassandra does not enforce authentication (look at authenticator in cassandra.yaml)`);
  }
  if (o.error) return fail(`${attempt} was not refused as an authentication error (CqlAuthenticationError) but ended after ${o.elapsedMs} ms in ${describeError(o.error, o.username, o.where)}`);
  return fail(`${attempt}: no outcome observed (${o.outcome ?? 'none'}, no error), expected CqlAuthenticationError`);
}
