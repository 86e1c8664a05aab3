// Every version the lab pins, in one place. The Go wrapper modules under fixtures/lab/ pin the same
// versions in their go.mod files; build.ts checks they agree so the two cannot drift silently.
export const labVersions = {
  kubernetes: 'v1.35.4',
  etcd: 'v3.6.16',
  coredns: 'v1.13.1',
  metricsServer: 'v0.9.0',
  /** Prometheus 3.16.0, published on the Go module proxy as github.com/prometheus/prometheus v0.316.0. */
  prometheus: 'v3.16.0',
  prometheusModule: 'v0.316.0',
  /**
   * Released k8ssandra-operator whose CRDs the lab applies (newest release the reachable Go module proxy
   * serves), and the cass-operator release it depends on (its go.mod). fixtures/lab/k8ssandra pins both.
   */
  k8ssandraOperator: 'v1.21.0',
  cassOperator: 'v1.23.0',
  /** Go toolchain fetched from the Go module proxy (golang.org/toolchain) when no recent `go` is installed. */
  goToolchain: 'go1.26.8',
  /** Tag of the pause image the lab builds itself (what kubelet/containerd expect as the sandbox image). */
  pauseImage: 'registry.k8s.io/pause:3.10',
  /** Debian packages the node needs; installed with apt-get when a command is missing. */
  aptPackages: ['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'conntrack', 'openssl', 'busybox-static', 'gcc', 'libc6-dev', 'unzip'],
} as const;

/** Folder the built binaries of the pinned versions live in. */
export function binSubdir(): string {
  return labVersions.kubernetes;
}
