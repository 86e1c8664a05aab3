import { describe, expect, it } from 'vitest';
import { lastCause } from './diagnose.ts';

describe('lastCause', () => {
  it('prefers the deepest Caused by', () => {
    const log = [
      'INFO  starting',
      'org.apache.flink.runtime.entrypoint.ClusterEntrypointException: Failed to initialize the cluster entrypoint',
      '\tat org.apache.flink...',
      'Caused by: org.apache.flink.util.FlinkException: Could not load the provided entrypoint class.',
      'Caused by: java.io.FileNotFoundException: /opt/flink/examples/streaming/Nope.jar (No such file or directory)',
      '\tat java.base/java.io.FileInputStream.open0(Native Method)',
    ].join('\n');
    expect(lastCause(log)).toBe('Caused by: java.io.FileNotFoundException: /opt/flink/examples/streaming/Nope.jar (No such file or directory)');
  });

  it('falls back to the first exception line, or nothing', () => {
    expect(lastCause('x\njava.lang.IllegalStateException: bad\ny')).toBe('java.lang.IllegalStateException: bad');
    expect(lastCause('all good')).toBeUndefined();
  });
});
