// Importing the plans registers every suite's manifest builder for `streamcert plan`.
export async function loadSuiteManifests(): Promise<void> {
  await import('./plans.ts');
}
