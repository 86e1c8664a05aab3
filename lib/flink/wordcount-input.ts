// The WordCount sweep's input: a deterministic text generated inside the cluster by awk (present in
// any Flink image), and the expected word counts computed here from the same generator, without
// reading the file, so the check is independent of both Flink and the file system.
//
// Generator: Park–Miller MINSTD (x ← x·48271 mod 2³¹−1). Every intermediate value stays below 2⁵³,
// so awk's doubles and JavaScript's numbers compute exactly the same sequence.
import type { StreamcertConfig } from '../config/schema.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { flinkDataPath } from './manifests.ts';

const modulus = 2147483647;
const multiplier = 48271;
const wordsPerLine = 10;

export interface GeneratorSpec {
  seed: number;
  vocabulary: number;
  words: number;
}

/** Word `i` of the vocabulary: `i` written in base 26 with letters (a, b, …, z, ba, bb, …). */
export function vocabularyWord(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** The sweep's input as configured (wordCount.generatedSizeMb, wordCount.vocabulary), with a fixed seed. */
export function wordCountSpec(config: StreamcertConfig): GeneratorSpec {
  const wc = config.wordCount;
  return { seed: 20240607, vocabulary: wc.vocabulary, words: wordsForSize(wc.generatedSizeMb, wc.vocabulary) };
}

/** How many words make about `sizeMb` megabytes of text with this vocabulary. */
export function wordsForSize(sizeMb: number, vocabulary: number): number {
  let letters = 0;
  for (let i = 0; i < vocabulary; i++) letters += vocabularyWord(i).length;
  const bytesPerWord = letters / vocabulary + 1; // one separator (space or newline) per word
  return Math.round((sizeMb * 1_000_000) / bytesPerWord);
}

export function expectedCounts(spec: GeneratorSpec): Map<string, number> {
  const counts = new Array<number>(spec.vocabulary).fill(0);
  let x = spec.seed;
  for (let k = 0; k < spec.words; k++) {
    x = (x * multiplier) % modulus;
    counts[x % spec.vocabulary]! += 1;
  }
  const out = new Map<string, number>();
  counts.forEach((c, i) => {
    if (c > 0) out.set(vocabularyWord(i), c);
  });
  return out;
}

/** The awk program that writes the same text to stdout. */
export function awkProgram(spec: GeneratorSpec): string {
  return [
    `BEGIN {`,
    `  x = ${spec.seed}; M = ${modulus}; V = ${spec.vocabulary}; N = ${spec.words};`,
    `  for (i = 0; i < V; i++) { n = i; s = ""; do { s = sprintf("%c", 97 + n % 26) s; n = int(n / 26) } while (n > 0); w[i] = s }`,
    `  for (k = 1; k <= N; k++) { x = (x * ${multiplier}) % M; printf "%s%s", w[x % V], (k % ${wordsPerLine} == 0 ? "\\n" : " ") }`,
    `  if (N % ${wordsPerLine} != 0) printf "\\n"`,
    `}`,
  ].join('\n');
}

/** Same text, in JavaScript (for tests: the awk program and this must agree). */
export function generateText(spec: GeneratorSpec): string {
  const parts: string[] = [];
  let x = spec.seed;
  for (let k = 1; k <= spec.words; k++) {
    x = (x * multiplier) % modulus;
    parts.push(vocabularyWord(x % spec.vocabulary), k % wordsPerLine === 0 ? '\n' : ' ');
  }
  if (spec.words % wordsPerLine !== 0) parts.push('\n');
  return parts.join('');
}

/** WordCount's output lines, `(word,count)`; in batch mode each word appears once with its total. */
export function parseWordCountOutput(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\((\w+),(\d+)\)$/.exec(line.trim());
    if (m) counts.set(m[1]!, Math.max(counts.get(m[1]!) ?? 0, Number(m[2])));
  }
  return counts;
}

/** Words whose counts differ, as `word: expected N, got M` (at most `limit`), and how many differ. */
export function compareCounts(expected: Map<string, number>, actual: Map<string, number>, limit = 5): { differing: number; examples: string[] } {
  const examples: string[] = [];
  let differing = 0;
  for (const word of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(word) ?? 0;
    const a = actual.get(word) ?? 0;
    if (e !== a) {
      differing += 1;
      if (examples.length < limit) examples.push(`${word}: expected ${e}, got ${a}`);
    }
  }
  return { differing, examples };
}

/**
 * A shell command that adds one occurrence of `word` to the input file, as a line of its own: for a
 * negative control that corrupts the data the job reads (never what the harness expects).
 */
export function appendWordCommand(inputPath: string, word: string): string[] {
  if (!/^[a-z]+$/.test(word)) throw new Error(`not a generator word: ${word}`);
  // A copy renamed over the original: the generator's file is not writable by Flink's user, its directory is.
  return ['sh', '-c', `set -e; cp ${inputPath} ${inputPath}.corrupt; echo ${word} >> ${inputPath}.corrupt; mv -f ${inputPath}.corrupt ${inputPath}`];
}

/** Where 06 writes its input and Flink its output, on the session cluster's RWX volume. */
export const wordCountDir = `${flinkDataPath}/wordcount`;

/** A one-off pod that writes the input with awk (any Flink image has a shell and awk). */
export function wordCountGeneratorPod(image: string, namespace: string, labels: Record<string, string>, spec: GeneratorSpec): K8sObject {
  const script = [
    `set -e`,
    `mkdir -p ${wordCountDir}`,
    // Flink runs as its own user and writes its output next to the input.
    `chmod a+rwx ${wordCountDir}`,
    `awk '${awkProgram(spec).replace(/'/g, `'\\''`)}' > ${wordCountDir}/input.tmp`,
    `mv ${wordCountDir}/input.tmp ${wordCountDir}/input.txt`,
    `echo "input: $(wc -c < ${wordCountDir}/input.txt) bytes"`,
  ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'wordcount-input', namespace, labels },
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'generate',
          image,
          command: ['sh', '-c', script],
          resources: { requests: { cpu: '100m', memory: '64Mi' } },
          volumeMounts: [{ name: 'data', mountPath: flinkDataPath }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'wordcount-data' } }],
    },
  };
}
