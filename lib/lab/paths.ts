// Where the lab keeps what it builds and runs: outside the repository, so that a fresh clone stays
// small and a second checkout reuses the same binaries, images and caches.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const streamcertHome = process.env.STREAMCERT_HOME ?? join(homedir(), '.cache', 'streamcert');

export const labPaths = {
  home: streamcertHome,
  /** Built binaries (kube-apiserver, kubelet, etcd, ...), one subfolder per pinned version. */
  bin: join(streamcertHome, 'bin'),
  /** Go module and build caches, kept between runs so rebuilds are incremental. */
  goModCache: join(streamcertHome, 'gomod'),
  goBuildCache: join(streamcertHome, 'gocache'),
  goPath: join(streamcertHome, 'gopath'),
  /** Maven repository for the lab's Java artifacts (Flink, the operator, Cassandra). */
  m2: join(streamcertHome, 'm2'),
  /** Image root filesystems and docker-archive tarballs built for the lab. */
  images: join(streamcertHome, 'images'),
  /** Runtime state of a running lab: certificates, etcd data, kubeconfig, logs, pids. */
  state: join(streamcertHome, 'lab'),
  kubeconfig: join(streamcertHome, 'lab', 'kubeconfig'),
  logs: join(streamcertHome, 'lab', 'logs'),
};
