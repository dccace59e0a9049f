/**
 * The names of the data formats, as `--format` and `--input-format` accept them. They are literal lists
 * (rather than read off the registry) so that their types exist below every reader; `registry.test.ts`
 * checks that each name has its entry in `registry.ts` and each entry its name here. The names of
 * training data formats stay in `../rows.ts`, beside the row types that carry them.
 */
export { DATA_FORMATS, type DataFormat } from '../rows.js';

/** How texts to score are laid out (`--input-format`): one per line, JSON Lines, or CSV with a header row. */
export type InputFormat = 'lines' | 'jsonl' | 'csv';
export const INPUT_FORMATS: readonly InputFormat[] = ['lines', 'jsonl', 'csv'];
