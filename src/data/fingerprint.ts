import { createHash } from 'node:crypto';
import type { Example } from './types.js';

/** SHA-256 over texts and labels in order: tells which data a model was trained on. */
export function fingerprintExamples(examples: readonly Example[]): string {
  const hash = createHash('sha256');
  for (const example of examples) {
    hash.update(example.label);
    hash.update('\u0000');
    hash.update(example.text);
    hash.update('\u0001');
  }
  return hash.digest('hex');
}
