// The Cassandra suites against the lab, as `streamcert run` runs them: they pass on the real
// components (a 3-node Cassandra with RF 3, so the Cassandra node kill runs too), and each fails,
// naming the cause, when the property it checks is broken on purpose.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReportInBrowser } from '../testing/browser-check.ts';
import { appliedVersusPlanned, failures, streamcert, suiteOf } from './streamcert.ts';

const threeNodes = ['--set', 'cassandra.size=3', '--set', 'cassandra.replicationFactor=3'];

// Each test is a run of its own, in namespaces of its own, so two run side by side (maxConcurrency of
// the integration project): they wait mostly on JVM start-ups and reconcile intervals, not on each other.
describe.concurrent('Cassandra suites on the lab', () => {
  it('07 to 10 pass with 3 Cassandra nodes and RF 3, leaving nothing behind', async () => {
    const run = await streamcert(['run', '--suite', '07..10', ...threeNodes]);
    for (const id of ['07-k8ssandra', '08-flink-to-cassandra', '09-chaos', '10-monitoring']) {
      const suite = suiteOf(run, id);
      expect(suite.verdict, `${id}:\n${failures(suite)}`).toBe('passed');
    }
    const chaos = suiteOf(run, '09-chaos');
    expect(chaos.experiments?.map((e) => `${e.name}:${e.verdict}`)).toEqual(['taskmanager-kill:Pass', 'jobmanager-kill:Pass', 'cassandra-node-kill:Pass']);
    expect(run.exitCode).toBe(0);
    // Plans are what runs: every object applied is one `streamcert plan` prints, as it prints it.
    expect(await appliedVersusPlanned(run, ['--suite', '07..10', ...threeNodes])).toEqual({ missing: [], unplanned: [], differing: [] });
    const left = await streamcert(['cleanup', '--stale', '--older-than', '0s', '--dry-run']);
    expect(left.stdout + left.stderr).not.toMatch(new RegExp(run.result!.runId));
    process.stderr.write(`Cassandra suites 07..10 on the lab (3 nodes): ${run.seconds.toFixed(0)} s\n`);

    // The run's own report, as a person opens it: every chart (write count, write rate, experiments) drawn.
    const runDir = join(run.reportsDir, run.result!.runId);
    const check = await checkReportInBrowser(join(runDir, 'report.html'), join(runDir, 'report.png'));
    expect(check.problems).toEqual([]);
    expect(check.charts.map((c) => c.id).sort(), 'charts in report.html').toEqual(['08-flink-to-cassandra-writes', '09-chaos-resiliency']);
    process.stderr.write(`report.html of the run: ${check.charts.length} charts drawn; screenshot ${check.screenshotPath}\n`);
  });

  it('negative control: 07 with a wrong superuser password fails with an authentication error', async () => {
    const run = await streamcert(['run', '--suite', '07', '--set', 'cassandra.credentials={"username": "demo-superuser", "password": "not-the-password"}']);
    const suite = suiteOf(run, '07-k8ssandra');
    expect(run.exitCode).toBe(1);
    expect(failures(suite)).toMatch(/CQL login as demo-superuser refused/);
    expect(failures(suite)).not.toMatch(/timed out/);
    expect(run.stdout + run.stderr).not.toMatch(/not-the-password/);
  });

  it('negative control: 07 on a K8ssandraCluster without authentication fails the wrong-password check, and only that', async () => {
    // spec.auth: false, k8ssandra-operator's own switch: AllowAllAuthenticator accepts every password,
    // so the secret's login still works and only the check that tries a wrong one can see it.
    const run = await streamcert(['run', '--suite', '07'], { env: { STREAMCERT_SELFTEST_FAULTS: 'cassandra-auth-off' } });
    const suite = suiteOf(run, '07-k8ssandra');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual(['a wrong password is refused with an authentication error, not a timeout']);
    expect(failed[0]!.reason).toMatch(/^a login as \S+ with a wrong password at .* succeeded in \d+ ms, expected CqlAuthenticationError: Cassandra does not enforce authentication/);
    process.stderr.write(`07 authentication-off control: ${run.seconds.toFixed(0)} s\n`);
  });

  it("negative control: 07 meeting the paper's keyspace with another replication factor, and 01 and 07 promised releases the lab does not run, fail each check naming found and expected", async () => {
    // Three sabotages that do not touch each other, in one run: the keyspace created first with RF 2
    // where 1 is configured, and two expected releases the lab does not run. 07 does not need 01, and
    // the schema check only observes, so no failure hides another.
    const run = await streamcert(
      [
        'run',
        '--suite',
        '01,07',
        '--grep',
        "^(the Flink operator is the expected release|the K8ssandraCluster becomes ready|the superuser secret|the paper's keyspace|Cassandra is the expected release)",
        '--set',
        'expect.operatorVersion=1.0.0',
        '--set',
        'expect.cassandraVersion=4.0.0',
      ],
      { env: { STREAMCERT_SELFTEST_FAULTS: 'keyspace-other-replication' } },
    );
    expect(run.exitCode).toBe(1);
    expect(failures(suiteOf(run, '01-platform'))).toMatch(/Flink operator: expected 1\.0\.0, found \d+\.\d+\.\d+ \(.+ of Deployment \S+\/\S+\)/);
    const k8ssandra = suiteOf(run, '07-k8ssandra');
    const failed = k8ssandra.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(k8ssandra)).toEqual(["the paper's keyspace and table exist with the configured replication", 'Cassandra is the expected release']);
    expect(failed[0]!.reason).toMatch(/keyspace example: expected replication factor 1 in datacenter dc1 \(cassandra\.replicationFactor\), found 2/);
    expect(failed[1]!.reason).toMatch(/^Cassandra: expected 4\.0\.0, found \d+\.\d+\.\d+ \(system\.local release_version over service \S+\)$/);
    process.stderr.write(`07 keyspace-replication and 01/07 expected-release control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 07 with one Cassandra node frozen while its pod still shows Ready fails readiness naming the node', async () => {
    // SIGSTOP on the node's container from the host: the kubelet and the operator's status still say
    // Ready; only a check that asks Cassandra itself sees that the node answers nothing.
    const run = await streamcert(['run', '--suite', '07', '--grep', '^(the K8ssandraCluster becomes ready|every Cassandra node is Ready)'], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'cassandra-node-frozen' },
    });
    const suite = suiteOf(run, '07-k8ssandra');
    expect(run.exitCode).toBe(1);
    expect(suite.checks.find((c) => c.name.startsWith('the K8ssandraCluster becomes ready'))?.verdict).toBe('passed');
    expect(failures(suite)).toMatch(/^every Cassandra node is Ready.*: Cassandra datacenter \S+ not ready as Cassandra reports it: .*pod \S+-sts-0: no CQL session: cannot reach CQL at pod /m);
    process.stderr.write(`07 frozen-node control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 08 with the job writing elsewhere fails because no row of the job can be read from the checked table, naming it', async () => {
    const run = await streamcert(['run', '--suite', '08', '--set', 'pipeline.jobTable=topspeeds_elsewhere', '--set', 'timeouts.jobRunning=2m']);
    const suite = suiteOf(run, '08-flink-to-cassandra');
    expect(run.exitCode).toBe(1);
    expect(failures(suite)).toMatch(/no rows of this job in example\.topspeeds after \d+(\.\d)? s of reading it/);
  });

  it("negative control: 08 with another writer's partition in the table, the job's rows written again, three of them deleted and the node frozen while it is counted fails the partition, reconcile, set and full-count checks, each naming its cause", async () => {
    // Four sabotages for real in Cassandra that do not touch each other, in one run: the table checks
    // only read, so each fails on its own. The foreign partition is deleted right after the partition
    // check reads it, the duplicated rows are the same keys, and the deleted rows are taken after the
    // reconcile: the set check sees exactly the three lost keys and nothing unexpected.
    const run = await streamcert(['run', '--suite', '08', '--set', 'pipeline.samplingWindow=10s'], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'topspeeds-foreign-partition,topspeeds-writes-duplicated,topspeeds-rows-deleted,cassandra-frozen-during-count' },
    });
    const suite = suiteOf(run, '08-flink-to-cassandra');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual([
      'every car has its partition',
      "Flink's sink count and Cassandra's write count reconcile",
      'every row the job must have written up to a completed checkpoint is in the table, and no other',
      'a full-table count with paging completes without a timeout',
    ]);
    expect(failed[0]!.reason).toMatch(/^11 partitions \(distinct carid\) in example\.topspeeds, expected 10 \(pipeline\.cars\): unexpected carid 110$/);
    expect(failed[1]!.reason).toMatch(/: Cassandra has more writes than the sink sent \(replays or another writer\)/);
    expect(failed[2]!.reason).toMatch(/^example\.topspeeds: 3 of \d+ keys carid@time the job must have written for the \d+ records the source emitted before checkpoint #\d+ \(completed\) are missing: \d+@\d+, \d+@\d+, \d+@\d+;?/);
    expect(failed[3]!.reason).toMatch(/^a paged count of example\.topspeeds did not complete after \d+(\.\d+)? s: /);
    expect(suite.measurements.find((m) => m.name === 'lostKeys')?.value).toBe(3);
    expect(suite.measurements.find((m) => m.name === 'unexpectedKeys')?.value).toBe(0);
    process.stderr.write(`08 control (foreign partition, duplicated, deleted, frozen count): ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 09 with no restart strategy fails the TaskManager kill: the job FAILED and does not come back', async () => {
    // 45 s to resume is plenty where the job restarts (a few seconds on the lab) and keeps the wait short where it cannot.
    const run = await streamcert(['run', '--suite', '09', '--grep', '^(the pipeline runs|taskmanager-kill)', '--set', 'flink.configuration={"restart-strategy.type": "none"}', '--set', 'timeouts.recovery=45s']);
    const suite = suiteOf(run, '09-chaos');
    expect(run.exitCode).toBe(1);
    expect(suite.experiments?.map((e) => `${e.name}:${e.verdict}`)).toEqual(['taskmanager-kill:Fail']);
    const reasons = failures(suite);
    expect(reasons).toMatch(/\[during\] job and deployment not FAILED \(operator status\): .*job=FAILED .*Recovery is suppressed by NoRestartBackoffTimeStrategy/);
    expect(reasons).toMatch(/\[after\] restored from a checkpoint ≥ #\d+ \(latest completed at the kill\): after the TaskManager kill the job reported no restore/);
    process.stderr.write(`09 TaskManager kill without restarts control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 09 with HA off fails the JobManager kill: the job does not come back from its checkpoint', async () => {
    const run = await streamcert(['run', '--suite', '09', '--grep', '^(the pipeline runs|jobmanager-kill)', '--set', 'flink.configuration={"high-availability.type": "NONE"}', '--set', 'timeouts.recovery=2m']);
    const suite = suiteOf(run, '09-chaos');
    expect(run.exitCode).toBe(1);
    expect(suite.experiments?.map((e) => `${e.name}:${e.verdict}`)).toEqual(['jobmanager-kill:Fail']);
    expect(failures(suite)).toMatch(/^jobmanager-kill: after a JobManager kill /m);
    process.stderr.write(`09 JobManager kill without HA control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 09 with acknowledged writes deleted behind the writer fails naming the missing keys', async () => {
    const run = await streamcert(['run', '--suite', '09', '--grep', 'Cassandra node kill', ...threeNodes], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'ledger-delete-acknowledged' },
    });
    const suite = suiteOf(run, '09-chaos');
    expect(run.exitCode).toBe(1);
    expect(failures(suite)).toMatch(/3 of \d+ acknowledged writes lost: ids 6, 7, 8/);
    expect(suite.experiments?.[0]?.verdict).toBe('Fail');
  });
});
