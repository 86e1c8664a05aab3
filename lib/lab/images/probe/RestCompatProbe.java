// Checks that the operator's Flink client (the Flink release the operator was built against) can
// drive a cluster of the lab's Flink image over REST: the calls the operator's observer and
// savepoint logic make. Run with the operator image's jars on the classpath:
//   java -cp '<operator layer>/flink-kubernetes-operator/lib/*' RestCompatProbe.java HOST PORT JOBID SAVEPOINT_DIR
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;

public class RestCompatProbe {
    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, args[0]);
        conf.set(RestOptions.PORT, Integer.parseInt(args[1]));
        JobID jobId = JobID.fromHexString(args[2]);
        try (RestClusterClient<String> client = new RestClusterClient<>(conf, "rest-compat-probe")) {
            var jobs = client.listJobs().get(30, TimeUnit.SECONDS);
            System.out.println("PROBE listJobs: " + jobs.size() + " job(s)");
            jobs.forEach(j -> System.out.println("PROBE   " + j.getJobId() + " " + j.getJobName() + " " + j.getJobState()));
            System.out.println("PROBE getJobStatus: " + client.getJobStatus(jobId).get(30, TimeUnit.SECONDS));
            try {
                // GET /jobs/:id. Used by the operator only for in-place rescaling and the autoscaler.
                System.out.println("PROBE getJobDetails: vertices=" + client.getJobDetails(jobId).get(15, TimeUnit.SECONDS).getJobVertexInfos().size());
            } catch (Exception e) {
                System.out.println("PROBE getJobDetails: INCOMPATIBLE (" + e + ")");
            }
            CheckpointingStatisticsHeaders headers = CheckpointingStatisticsHeaders.getInstance();
            JobMessageParameters params = headers.getUnresolvedMessageParameters();
            params.jobPathParameter.resolve(jobId);
            CheckpointingStatistics stats = client.sendRequest(headers, params, EmptyRequestBody.getInstance()).get(30, TimeUnit.SECONDS);
            System.out.println("PROBE checkpoints: completed=" + stats.getCounts().getNumberCompletedCheckpoints()
                + " latest=" + stats.getLatestCheckpoints().getCompletedCheckpointStatistics().getExternalPath());
            String savepoint = client.triggerSavepoint(jobId, args[3], SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
            System.out.println("PROBE savepoint: " + savepoint);
        }
        System.out.println("PROBE OK");
        System.exit(0);
    }
}
