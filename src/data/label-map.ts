/**
 * `--label-map '1-4=neg,7-10=pos'`: turning the labels a source holds (star ratings, codes) into the
 * labels a model learns. A key is a number, an inclusive range of numbers `LOW-HIGH`, or any other text,
 * matched exactly; `KEY=` with no label excludes those rows on purpose (they are counted, not reported
 * as errors). A value no key covers is an unknown label, which `--on-error` decides about.
 */
import { OptionError } from '../errors.js';

/** What one source label becomes: a label, `null` for a row excluded on purpose, `undefined` when unmapped. */
export type MappedLabel = string | null | undefined;

interface RangeRule {
  readonly low: number;
  readonly high: number;
  readonly label: string | null;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const RANGE = new RegExp(`^(${NUMBER})\\s*-\\s*(${NUMBER})$`);
const SINGLE = new RegExp(`^${NUMBER}$`);

/** A parsed `--label-map`. */
export class LabelMap {
  private constructor(
    private readonly ranges: readonly RangeRule[],
    private readonly exact: ReadonlyMap<string, string | null>,
    /** The map as given, for messages. */
    readonly spec: string,
  ) {}

  /**
   * Parses `KEY=LABEL[,KEY=LABEL…]`.
   * @throws OptionError naming the entry that is wrong: no `=`, an empty key, a range whose low end is
   *   above its high end, or a key that overlaps another.
   */
  static parse(spec: string): LabelMap {
    const fail = (why: string): never => {
      throw new OptionError(`--label-map "${spec}": ${why} (expected e.g. '1-4=neg,7-10=pos')`);
    };
    const ranges: RangeRule[] = [];
    const exact = new Map<string, string | null>();
    const entries = spec.split(',').map((entry) => entry.trim());
    if (entries.every((entry) => entry === '')) fail('no entries');
    for (const entry of entries) {
      if (entry === '') continue;
      const equals = entry.lastIndexOf('=');
      if (equals < 0) fail(`entry "${entry}" has no "="`);
      const key = entry.slice(0, equals).trim();
      const label = entry.slice(equals + 1).trim() || null;
      if (key === '') fail(`entry "${entry}" has no key before "="`);
      const range = RANGE.exec(key);
      if (range || SINGLE.test(key)) {
        const low = Number(range ? range[1] : key);
        const high = Number(range ? range[2] : key);
        if (low > high) fail(`range "${key}" runs backwards`);
        const overlap = ranges.find((r) => low <= r.high && r.low <= high);
        if (overlap) fail(`"${key}" overlaps ${overlap.low}-${overlap.high}`);
        ranges.push({ low, high, label });
      } else {
        if (exact.has(key)) fail(`"${key}" is mapped twice`);
        exact.set(key, label);
      }
    }
    return new LabelMap(ranges, exact, spec);
  }

  /** The label `value` maps to; surrounding spaces of `value` are ignored. */
  map(value: string): MappedLabel {
    const key = value.trim();
    if (this.exact.has(key)) return this.exact.get(key);
    if (SINGLE.test(key)) {
      const number = Number(key);
      for (const rule of this.ranges) if (number >= rule.low && number <= rule.high) return rule.label;
    }
    return undefined;
  }

  /** The labels the map can produce, sorted. */
  get labels(): string[] {
    const all = [...this.ranges.map((r) => r.label), ...this.exact.values()];
    return [...new Set(all.filter((label): label is string => label !== null))].sort();
  }
}
