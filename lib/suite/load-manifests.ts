// Manifest builders live beside the fixtures they use (lib/flink, lib/cassandra); importing them
// registers them for `plan`. The suites import the same modules.
export async function loadSuiteManifests(): Promise<void> {
  // Filled in as suites that apply manifests are added.
}
