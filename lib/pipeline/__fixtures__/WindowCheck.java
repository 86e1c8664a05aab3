import java.time.Duration;
import io.streamcert.jobs.topspeeds.CarDataGenerator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.delta.DeltaFunction;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.streaming.api.windowing.evictors.TimeEvictor;
import org.apache.flink.streaming.api.windowing.triggers.DeltaTrigger;
import org.apache.flink.util.CloseableIterator;

// Records what Flink itself emits for TopSpeedsToCassandra's window (copied from the job) over the job's
// CarDataGenerator, collected instead of written, for lib/pipeline/topspeeds-model.test.ts. One line per
// firing: carid speed doubleToLongBits(distance) time. Recorded with Flink 1.20.0 (the lab image's
// /opt/flink/lib) and Java 17, by
//   javac -d out -cp "$FLINK_HOME/lib/*" WindowCheck.java CarDataGenerator.java
//   java $FLINK_JAVA17_OPTS -cp "out:$FLINK_HOME/lib/*" WindowCheck 10 1764650000000 200 3000 1 \
//     > flink-1.20-window-10cars-3000records.txt
// (arguments: cars, start time, records per second, records, parallelism). The same comparison over
// 40,000 records at parallelism 2, and 30,000 records of 7 cars at 300 records/s (a tick of 23.3 ms),
// matched the model firing by firing too.
public class WindowCheck {
  public static void main(String[] a) throws Exception {
    int cars = Integer.parseInt(a[0]); long start = Long.parseLong(a[1]); double perSecond = Double.parseDouble(a[2]); long n = Long.parseLong(a[3]); int par = Integer.parseInt(a[4]);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(par);
    double tickMillis = 1000.0 * cars / perSecond;
    TypeInformation<Tuple4<Integer, Integer, Double, Long>> carType = Types.TUPLE(Types.INT, Types.INT, Types.DOUBLE, Types.LONG);
    DataGeneratorSource<Tuple4<Integer, Integer, Double, Long>> source = new DataGeneratorSource<>(new CarDataGenerator(cars, start, tickMillis), n, RateLimiterStrategy.noOp(), carType);
    DataStream<Tuple4<Integer, Integer, Double, Long>> carData = env.fromSource(source, WatermarkStrategy.<Tuple4<Integer, Integer, Double, Long>>forMonotonousTimestamps().withTimestampAssigner((car, ts) -> car.f3), "src").setParallelism(1).setMaxParallelism(1);
    DataStream<Tuple4<Integer, Integer, Double, Long>> top = carData.keyBy(car -> car.f0).window(GlobalWindows.create()).evictor(TimeEvictor.of(Duration.ofSeconds(10)))
        .trigger(DeltaTrigger.of(50, new DistanceDelta(), carType.createSerializer(env.getConfig().getSerializerConfig()))).maxBy(1);
    try (CloseableIterator<Tuple4<Integer, Integer, Double, Long>> it = top.executeAndCollect()) {
      while (it.hasNext()) { Tuple4<Integer, Integer, Double, Long> t = it.next(); System.out.println(t.f0 + " " + t.f1 + " " + Double.doubleToLongBits(t.f2) + " " + t.f3); }
    }
  }
  static final class DistanceDelta implements DeltaFunction<Tuple4<Integer, Integer, Double, Long>> {
    public double getDelta(Tuple4<Integer, Integer, Double, Long> o, Tuple4<Integer, Integer, Double, Long> n) { return n.f2 - o.f2; }
  }
}
