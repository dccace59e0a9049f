import { createHash, type Hash } from 'node:crypto';
import type { Example } from './types.js';

/** SHA-256 over texts and labels in order: tells which data a model was trained on. */
export function fingerprintExamples(examples: readonly Example[]): string {
  const fingerprint = new ExampleFingerprint();
  for (const example of examples) fingerprint.add(example);
  return fingerprint.digest();
}

/** {@link fingerprintExamples} built up example by example, for data read in batches. */
export class ExampleFingerprint {
  private readonly hash: Hash = createHash('sha256');

  add(example: { readonly text: string; readonly label: string }): void {
    this.hash.update(example.label);
    this.hash.update('\u0000');
    this.hash.update(example.text);
    this.hash.update('\u0001');
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
