// judgeSuperuserLogin and judgeWrongPasswordRefused on each of their sides. The observations are what
// the judges received on the lab on 2026-12-04 (see __fixtures__/login/README.md): suite 07 passing
// (run 20261204-020047-cd8d: the secret logged in, a wrong password refused in 344 ms), and the login
// with cassandra.credentials set to a wrong password (run 20261204-020202-e749: refused). Sides nothing
// recorded are minimal edits of these, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgeSuperuserLogin, judgeWrongPasswordRefused, type SuperuserLoginObservation, type WrongPasswordObservation } from './login-judge.ts';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/login/${name}`, import.meta.url), 'utf8')) as T;

const loggedIn = () => recorded<SuperuserLoginObservation>('07-superuser-login.json');
const refusedLogin = () => recorded<SuperuserLoginObservation>('07-superuser-login-wrong-password.json');
const wrongPassword = () => recorded<WrongPasswordObservation>('07-wrong-password.json');

const service = 'service sc-20261204-020047-cd8d-cassandra/demo-dc1-service';
const secret = 'secret sc-20261204-020047-cd8d-cassandra/demo-superuser';
const refusedService = 'service sc-20261204-020202-e749-cassandra/demo-dc1-service';
/** The driver's timeout as recorded on a frozen node (__fixtures__/readiness/07-readiness-node-frozen.json), at the Service. */
const timeout = `cannot reach CQL at ${service}: The host 127.0.0.1:34973 did not reply before timeout 10000 ms`;

describe('judgeSuperuserLogin', () => {
  it('passes on the recorded run: logged in as demo-superuser with the secret, Cassandra 5.0.9 answered in 11.6 ms', () => {
    expect(judgeSuperuserLogin(loggedIn())).toEqual(
      pass(`logged in as demo-superuser at ${service} (credentials from ${secret}); Cassandra 5.0.9 answered system.local in 11.6 ms`),
    );
  });

  it('fails on the recorded wrong password in cassandra.credentials: refused, naming the user and where, never the password', () => {
    const judgement = judgeSuperuserLogin(refusedLogin());
    expect(judgement).toEqual(
      fail(
        `CQL login as demo-superuser refused by ${refusedService} (credentials from the configuration (cassandra.credentials)): ` +
          'Provided username demo-superuser and/or password are incorrect',
      ),
    );
    expect(judgement.reason).not.toMatch(/not-the-password/);
  });

  it('fails naming a timeout as no session, not a refusal (recorded run with loggedIn false and the error edited to the driver\'s timeout as recorded on a frozen node: a node that answers nothing)', () => {
    const { releaseVersion: _r, roundTripMs: _t, secondsToLogin: _s, ...o } = loggedIn();
    expect(judgeSuperuserLogin({ ...o, loggedIn: false, error: { name: 'Error', message: timeout } })).toEqual(
      fail(
        `no CQL session as demo-superuser at ${service} (credentials from ${secret}): Error: The host 127.0.0.1:34973 did not reply before timeout 10000 ms`,
      ),
    );
  });

  it('fails when the secret cannot be read (recorded run with username removed and the error credentials() throws when the secret is missing)', () => {
    const { username: _u, releaseVersion: _r, roundTripMs: _t, secondsToLogin: _s, ...o } = loggedIn();
    const error = { name: 'Error', message: 'superuser secret sc-20261204-020047-cd8d-cassandra/demo-superuser does not exist' };
    expect(judgeSuperuserLogin({ ...o, loggedIn: false, error })).toEqual(
      fail(`the superuser credentials could not be read from ${secret}: Error: superuser secret sc-20261204-020047-cd8d-cassandra/demo-superuser does not exist`),
    );
  });

  it('fails when the session does not answer its first query (recorded run with releaseVersion and roundTripMs removed, a read timeout added)', () => {
    const { releaseVersion: _r, roundTripMs: _t, ...o } = loggedIn();
    const error = { name: 'OperationTimedOutError', message: 'The host 127.0.0.1:40315 did not reply before timeout 12000 ms' };
    expect(judgeSuperuserLogin({ ...o, error })).toEqual(
      fail(
        `logged in as demo-superuser at ${service}, but the session did not answer SELECT release_version FROM system.local: ` +
          'OperationTimedOutError: The host 127.0.0.1:40315 did not reply before timeout 12000 ms',
      ),
    );
  });

  it('fails on an empty observation: no session and no error (recorded run with loggedIn false and the figures removed)', () => {
    const { releaseVersion: _r, roundTripMs: _t, secondsToLogin: _s, ...o } = loggedIn();
    expect(judgeSuperuserLogin({ ...o, loggedIn: false })).toEqual(
      fail(`no CQL login as demo-superuser at ${service} observed (credentials from ${secret}): no session and no error recorded`),
    );
  });
});

describe('judgeWrongPasswordRefused', () => {
  const attempt = `a login as demo-superuser with a wrong password at ${service}`;

  it('passes on the recorded run: refused as an authentication error in 344 ms', () => {
    expect(judgeWrongPasswordRefused(wrongPassword())).toEqual(
      pass(`${attempt} was refused as an authentication error in 344 ms: Provided username demo-superuser and/or password are incorrect`),
    );
  });

  it('fails on a timeout, naming it (recorded run with outcome error and the error edited to the driver\'s timeout as recorded on a frozen node, after 10012 ms)', () => {
    expect(judgeWrongPasswordRefused({ ...wrongPassword(), outcome: 'error', error: { name: 'Error', message: timeout }, elapsedMs: 10012 })).toEqual(
      fail(
        `${attempt} was not refused as an authentication error (CqlAuthenticationError) but ended after 10012 ms in a timeout, Error: The host 127.0.0.1:34973 did not reply before timeout 10000 ms`,
      ),
    );
  });

  it('fails on a connection error, naming it (recorded run with outcome error and the error edited to the port-forward\'s "no Ready pod" behind the Service)', () => {
    const error = { name: 'Error', message: 'service sc-20261204-020047-cd8d-cassandra/demo-dc1-service has no Ready pod (1 selected)' };
    expect(judgeWrongPasswordRefused({ ...wrongPassword(), outcome: 'error', error, elapsedMs: 15 })).toEqual(
      fail(`${attempt} was not refused as an authentication error (CqlAuthenticationError) but ended after 15 ms in a connection error, Error: ${error.message}`),
    );
  });

  it('fails when the wrong password logs in (recorded run on a K8ssandraCluster with spec.auth: false, fault cassandra-auth-off)', () => {
    const o = recorded<WrongPasswordObservation>('07-wrong-password-auth-off.json');
    expect(judgeWrongPasswordRefused(o)).toEqual(
      fail(
        `a login as demo-superuser with a wrong password at service sc-20261207-121607-6d42-cassandra/demo-dc1-service succeeded in 230 ms, ` +
          'expected CqlAuthenticationError: Cassandra does not enforce authentication (look at authenticator in cassandra.yaml)',
      ),
    );
  });

  it('fails on an empty observation: no outcome, no error (recorded run with both removed)', () => {
    const { error: _e, outcome: _o, ...o } = wrongPassword();
    expect(judgeWrongPasswordRefused(o as WrongPasswordObservation)).toEqual(fail(`${attempt}: no outcome observed (none, no error), expected CqlAuthenticationError`));
  });
});
