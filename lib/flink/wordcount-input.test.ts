import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendWordCommand, awkProgram, compareCounts, expectedCounts, generateText, parseWordCountOutput, vocabularyWord, wordsForSize } from './wordcount-input.ts';

const spec = { seed: 42, vocabulary: 1000, words: 20_003 };

describe('WordCount input generator', () => {
  it('writes vocabulary words as base-26 letters', () => {
    expect([0, 25, 26, 27, 701].map(vocabularyWord)).toEqual(['a', 'z', 'ba', 'bb', 'baz']);
  });

  it('awk (as in the Flink image) produces exactly the JavaScript text', () => {
    const awk = execFileSync('awk', [awkProgram(spec)], { maxBuffer: 1 << 26 }).toString();
    expect(awk).toBe(generateText(spec));
  });

  it('expected counts are the counts of the generated text', () => {
    const text = generateText(spec);
    const counted = new Map<string, number>();
    for (const w of text.split(/\W+/).filter(Boolean)) counted.set(w, (counted.get(w) ?? 0) + 1);
    expect(compareCounts(expectedCounts(spec), counted).differing).toBe(0);
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(spec.words);
  });

  it('sizes the text', () => {
    const words = wordsForSize(1, 1000);
    const bytes = generateText({ ...spec, words }).length;
    expect(Math.abs(bytes - 1_000_000)).toBeLessThan(20_000);
  });

  it('parses WordCount output and names the differences', () => {
    const out = parseWordCountOutput('(a,3)\n(b,2)\nnoise\n(c,1)\n');
    expect(out).toEqual(new Map([['a', 3], ['b', 2], ['c', 1]]));
    const diff = compareCounts(new Map([['a', 3], ['b', 5], ['d', 1]]), out);
    expect(diff.differing).toBe(3);
    expect(diff.examples).toEqual(['b: expected 5, got 2', 'd: expected 1, got 0', 'c: expected 0, got 1']);
  });

  it('the self-test corruption adds exactly one occurrence of the word to the input, through a shell', () => {
    const input = join(mkdtempSync(join(tmpdir(), 'wordcount-')), 'input.txt');
    writeFileSync(input, generateText(spec));
    const [word] = [...expectedCounts(spec).keys()];
    const [cmd, ...args] = appendWordCommand(input, word!);
    execFileSync(cmd!, args);
    const counted = new Map<string, number>();
    for (const w of readFileSync(input, 'utf8').split(/\W+/).filter(Boolean)) counted.set(w, (counted.get(w) ?? 0) + 1);
    const diff = compareCounts(expectedCounts(spec), counted);
    expect(diff.differing).toBe(1);
    expect(diff.examples[0]).toBe(`${word}: expected ${expectedCounts(spec).get(word!)}, got ${expectedCounts(spec).get(word!)! + 1}`);
    expect(() => appendWordCommand(input, 'a; rm -rf /')).toThrow(/not a generator word/);
  });
});
