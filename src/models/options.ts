/**
 * How a model option is declared once: its key, value parser and bounds, default per model, help
 * text, whether it is a search grid key, and where its value goes in the trainer options. The CLI's
 * flags and --help (cli/model-options.ts) and the search grid's keys (train/search.ts) are made from
 * these declarations; each family declares its own in its folder (`option-declarations.ts`).
 *
 * Also the parser kit that the flags of every command and the grid share, so that a value is read,
 * and refused, the same way wherever it is given.
 */
import { OptionError } from '../errors.js';

// The parser kit.

/** Reads one value of an option from its text: a flag's argument or a value in a search grid. */
export interface ValueParser<T> {
  /** What a value must look like, for error messages: "a positive integer of at most 100,000". */
  readonly expected: string;
  /** The value, or undefined when `text` is not one (a parser may also throw an OptionError saying why). */
  parse(text: string): T | undefined;
  /** The name a flag gives its argument (`--max-len <n>`); '' for an on/off switch. */
  readonly argument: string;
  /** Fixed names the value is one of; the CLI lists them as commander's choices. */
  readonly choices?: readonly string[];
  /** A list's items: a grid writes a list value in brackets ('[3,4,5]'), as commas separate its values. */
  readonly item?: ValueParser<unknown>;
  /**
   * The same syntax without a range narrower than the value's kind (an integer from 1 to 8 → a
   * positive integer): what a flag that families of different ranges share parses with, leaving
   * each family's range to its own options check.
   */
  readonly unbounded?: ValueParser<T>;
  /**
   * Whether `value`, given to the library as a value rather than as text, is one `parse` could give:
   * the trainers check their options with it (`checkValue`), so a bound is written once, here.
   * Absent: the value is checked by its own validator (a `custom` parser's).
   */
  readonly accepts?: (value: unknown) => boolean;
}

/** The bounds of an `integer` option and how its messages and flag name it. */
export interface IntegerBounds {
  readonly min?: number;
  /** The largest value that makes sense: "an integer from 1 to 8". */
  readonly max?: number;
  /**
   * A guard far above any useful value, so that a typo is refused before anything is allocated:
   * "a positive integer of at most 100,000" (see models/network-size.ts).
   */
  readonly ceiling?: number;
  /** Says what is expected in other words than the bounds' own. */
  readonly expected?: string;
  readonly argument?: string;
}

/** An integer written in digits, within its bounds (min 1 unless given). */
export function integer(bounds: IntegerBounds = {}): ValueParser<number> {
  const { min = 1, max, ceiling } = bounds;
  const highest = Math.min(max ?? Number.MAX_SAFE_INTEGER, ceiling ?? Number.MAX_SAFE_INTEGER);
  const expected =
    bounds.expected ??
    (max !== undefined
      ? `an integer from ${min} to ${max}`
      : ceiling !== undefined
        ? min === 1
          ? `a positive integer of at most ${thousands(ceiling)}`
          : `an integer from ${min} to ${thousands(ceiling)}`
        : min === 1
          ? 'a positive integer'
          : `an integer of at least ${min}`);
  const parser: ValueParser<number> = {
    expected,
    argument: bounds.argument ?? 'n',
    parse: (text) => {
      const n = Number(text);
      return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= min && n <= highest ? n : undefined;
    },
    accepts: (value) =>
      Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= highest,
  };
  return max === undefined
    ? parser
    : { ...parser, unbounded: integer({ min, ceiling, argument: bounds.argument }) };
}

/** A finite number above 0. */
export function positiveNumber(argument = 'x'): ValueParser<number> {
  return number('a positive number', argument, (n) => n > 0);
}

/** A fraction in [0, 1): a share that may be none but not all. */
export function fraction(argument = 'f'): ValueParser<number> {
  return number('a fraction in [0, 1)', argument, (n) => n >= 0 && n < 1);
}

/** A fraction in (0, 1): a share that must be some and not all. */
export function openFraction(argument = 'f'): ValueParser<number> {
  return number('a fraction between 0 and 1 (exclusive)', argument, (n) => n > 0 && n < 1);
}

/** A number in [0, 1]: an interpolation weight. */
export function unitInterval(argument = 'x'): ValueParser<number> {
  return number('a number from 0 to 1', argument, (n) => n >= 0 && n <= 1);
}

function number(expected: string, argument: string, within: (n: number) => boolean): ValueParser<number> {
  return {
    expected,
    argument,
    parse: (text) => {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) && within(n) ? n : undefined;
    },
    accepts: (value) => typeof value === 'number' && Number.isFinite(value) && within(value),
  };
}

/** One of fixed names. */
export function oneOf<T extends string>(choices: readonly T[], argument = 'name'): ValueParser<T> {
  return {
    expected: `one of ${choices.join(', ')}`,
    argument,
    choices,
    parse: (text) => choices.find((c) => c === text),
    accepts: (value) => choices.some((c) => c === value),
  };
}

/** On or off: a flag without argument on the command line, true or false in a grid. */
export const booleanValue: ValueParser<boolean> = {
  expected: 'true or false',
  argument: '',
  parse: (text) => (text === 'true' ? true : text === 'false' ? false : undefined),
  accepts: (value) => typeof value === 'boolean',
};

/** Any text, such as a file name. */
export function text(argument: string): ValueParser<string> {
  return {
    expected: 'a text',
    argument,
    parse: (value) => value,
    accepts: (value) => typeof value === 'string',
  };
}

/** Comma-separated integers such as 3,4,5 (in a grid: '[3,4,5]', see `gridParser`). */
export function integerList(bounds: IntegerBounds = {}): ValueParser<readonly number[]> {
  const item = integer(bounds);
  return {
    expected: `comma-separated ${plural(item)} such as 3,4,5`,
    argument: 'list',
    item,
    parse: (value) => {
      const items = value.split(',').map((part) => item.parse(part.trim()));
      return items.every((n) => n !== undefined) ? (items as number[]) : undefined;
    },
    accepts: (value) => Array.isArray(value) && value.length > 0 && value.every((n) => item.accepts?.(n)),
  };
}

/** Comma-separated names, blanks dropped: 'nbsvm, cnn'. */
export function nameList(argument = 'list'): ValueParser<readonly string[]> {
  return {
    expected: 'comma-separated names',
    argument,
    parse: (value) =>
      value
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
  };
}

/** A value read by a function that throws an OptionError saying what is wrong. */
export function custom<T>(expected: string, argument: string, parse: (text: string) => T): ValueParser<T> {
  return { expected, argument, parse };
}

/** How a grid reads a value of `parser`: a list in brackets, since commas separate a key's values. */
export function gridParser<T>(parser: ValueParser<T>): ValueParser<T> {
  if (parser.item === undefined) return parser;
  return {
    ...parser,
    expected: `a bracketed list of ${plural(parser.item)}, e.g. [3,4,5]`,
    parse: (value) => {
      const inner = /^\[(.*)\]$/.exec(value)?.[1];
      return inner === undefined || inner.trim() === '' ? undefined : parser.parse(inner);
    },
  };
}

/**
 * Refuses a value given to the library (not parsed from text) that `parser` would not give, naming
 * the option: "dim must be a positive integer of at most 1,000, got 0". The trainers check their
 * options with it, so that the library and the CLI hold a value to the same declared bounds.
 */
export function checkValue(name: string, parser: ValueParser<unknown>, value: unknown): void {
  if (parser.accepts === undefined || parser.accepts(value)) return;
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  // A list is an array here, not the comma-separated text `expected` describes.
  const expected = parser.item ? `a non-empty list of ${plural(parser.item)}` : parser.expected;
  throw new OptionError(`${name} must be ${expected}, got ${shown}`);
}

function plural(item: ValueParser<unknown>): string {
  return `${item.expected.replace(/^an? /, '')}s`;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

// Declarations.

/** How an option shows on the command line. */
export interface FlagDeclaration {
  /** The flag's own name when not the key's kebab case: `binary` is set by `--counts`. */
  readonly name?: string;
  /** The argument's name when not the parser's: `--hash-bits <b>`. */
  readonly argument?: string;
  /** A switch that sets the option to this value when given (`--counts`: binary false). */
  readonly sets?: unknown;
  /** Help of the switch's negation (`--no-sublinear-tf`), for a switch that can be turned off too. */
  readonly negation?: string;
  /** Commander's default: the value when the flag is not given, shown by --help. */
  readonly default?: unknown;
}

/** One option of one family, declared once; `K` keeps its key's literal type for `OptionsOf`. */
export interface OptionDeclaration<T = unknown, K extends string = string> {
  /** The library's name of the option (camel case); the flag is its kebab case unless `flag.name`. */
  readonly key: K;
  readonly value: ValueParser<T>;
  /** What the option does, for --help (after the `[models]` tag). */
  readonly help?: string;
  /**
   * Where a family that shares a flag another family declared first adds its own words to that
   * flag's help (otherwise its defaults join the first family's).
   */
  readonly sharedHelp?: string;
  /** The command line's side: false for an option that only the library and the grid set. */
  readonly flag?: FlagDeclaration | false;
  /** The family's models that read it, when not all of them. */
  readonly models?: () => readonly string[];
  /** Its default for a model of the family, shown by --help unless `defaultInHelp` is false. */
  readonly default?: (model: string) => unknown;
  readonly defaultInHelp?: boolean;
  /** Whether a search grid may name it (key = the option's key). */
  readonly search?: boolean;
  /** Where its value goes in the family's trainer options (default: [key]). */
  readonly target?: readonly string[];
  /** Another option (by key) without which this one means nothing: `freezeEmbeddings` needs `embeddings`. */
  readonly needs?: string;
  /** False where an ensemble must refuse it: a saved member would silently ignore it. */
  readonly passedToMembers?: boolean;
  /** Set from the command's own option of the same key (not a model flag), e.g. --max-record-bytes. */
  readonly fromCommand?: boolean;
}

// Types from declarations.

/** The type of the values a declaration's parser gives. */
export type DeclaredValue<D> = D extends { readonly value: ValueParser<infer T> } ? T : never;

/**
 * The library options that a list of declarations makes, each optional: for the fastText
 * declarations `{ readonly dim?: number; readonly epochs?: number; … }`.
 */
export type OptionsOf<Ds extends readonly { readonly key: string }[]> = {
  readonly [D in Ds[number] as D['key']]?: DeclaredValue<D>;
};

/**
 * `true` when the options `Declared` (an `OptionsOf`) are exactly the fields of `Library` and each
 * declared value fits its field; otherwise what differs, which the compiler then shows. Each family
 * asserts it of its declarations and its trainer's options type (`Assert<Declares<…>>`), so that an
 * option declared but missing from the type, or a field never declared, does not compile.
 */
export type Declares<Declared, Library> = [
  Exclude<keyof Library, keyof Declared>,
  Exclude<keyof Declared, keyof Library>,
  WrongTypes<Declared, Library>,
] extends [never, never, never]
  ? true
  : {
      readonly undeclared: Exclude<keyof Library, keyof Declared>;
      readonly notInTheType: Exclude<keyof Declared, keyof Library>;
      readonly ofAnotherType: WrongTypes<Declared, Library>;
    };

/** The keys whose declared value does not fit the library's field. */
type WrongTypes<Declared, Library> = {
  [K in keyof Declared & keyof Library]-?: NonNullable<Declared[K]> extends Library[K] ? never : K;
}[keyof Declared & keyof Library];

/** The type at `path` in `T`, through optional fields; never where the path leaves `T`. */
export type ValueAt<T, P extends readonly string[]> = P extends readonly [
  infer H,
  ...infer R extends readonly string[],
]
  ? H extends keyof NonNullable<T>
    ? ValueAt<NonNullable<T>[H], R>
    : never
  : T;

/** Where a declaration's value goes in its family's trainer options: its `target`, or its key. */
export type TargetOf<D> = D extends { readonly target: infer P extends readonly string[] }
  ? P
  : D extends { readonly key: infer K extends string }
    ? readonly [K]
    : never;

/**
 * The keys of the declarations whose value does not fit where it goes in `Options` (their
 * `target`, else their key); never when all fit. `Assert<Fits<…>>` below makes that a compile check.
 */
export type Misplaced<Ds extends readonly { readonly key: string }[], Options> = {
  [D in Ds[number] as D['key']]: NonNullable<DeclaredValue<D>> extends ValueAt<Options, TargetOf<D>>
    ? never
    : D['key'];
}[Ds[number]['key']];

/** `true` when every declaration's value fits its place in `Options`, else the keys that do not. */
export type Fits<Ds extends readonly { readonly key: string }[], Options> = [Misplaced<Ds, Options>] extends [
  never,
]
  ? true
  : { readonly misplaced: Misplaced<Ds, Options> };

/** Compiles only when `T` is `true`: `type _Checked = Assert<Declares<…>>`. */
export type Assert<T extends true> = T;

/** A family's options: what the CLI, search and the family table read. */
export interface FamilyOptions {
  readonly family: string;
  /** The model names the family trains. */
  readonly models: () => readonly string[];
  /** How a `[tag]` in --help names all the family's models ('neural'); null: no tag. Default: its models. */
  readonly label?: string | null;
  /** Where the family's options sit in the trainer choice (`['neural']`; [] for its root). */
  readonly path: readonly string[];
  /** In --help order. */
  readonly declarations: readonly OptionDeclaration[];
  /** Grid keys in the order search lists them, when not the declarations' order. */
  readonly grid?: readonly OptionDeclaration[];
  /**
   * True where the family's trainer silently ignores an option its model does not read (a network
   * keeps unread hyper-parameters in its manifest): the CLI and the grid then refuse it themselves.
   */
  readonly trainerIgnoresUnread?: boolean;
  /**
   * True for an ensemble: it takes the other families' flags for its fresh members (and its own
   * flags come first in --help, as they name the members).
   */
  readonly takesMemberFlags?: boolean;
  /**
   * Refuses, before any data is read, options a model cannot work with (e.g. a network over the
   * size ceilings); `options` is the family's part of the trainer options, `nameOf` names an option
   * as the caller knows it (a flag).
   */
  readonly check?: (model: string, options: unknown, nameOf: (key: string) => string) => void;
  /** Its rows under "Model families:" in --help: model names, then lines of what they are. */
  readonly help?: readonly FamilyHelp[];
}

/** One row of the "Model families:" text: `lines` wrapped by hand to fit beside the names. */
export interface FamilyHelp {
  readonly models: string;
  readonly lines: readonly string[];
}

/** `numWords` → `num-words`: the flag a camel-cased option name comes from. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `num-words` → `numWords`: the attribute commander stores a flag's value under. */
export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The flag's name (without dashes), or undefined for an option that has none. */
export function flagName(declaration: OptionDeclaration): string | undefined {
  if (declaration.flag === false || declaration.fromCommand) return undefined;
  return declaration.flag?.name ?? kebab(declaration.key);
}

/** Where `declaration`'s value goes in the trainer choice: the family's path, then its `target` (else its key). */
export function declarationPath(family: FamilyOptions, declaration: OptionDeclaration): readonly string[] {
  return [...family.path, ...(declaration.target ?? [declaration.key])];
}

/** The models of `family` that read `declaration`. */
export function readersOf(family: FamilyOptions, declaration: OptionDeclaration): readonly string[] {
  return declaration.models?.() ?? family.models();
}

/** The grid keys of `model` in `family`: a family whose trainer ignores unread options offers only its model's. */
export function gridDeclarations(family: FamilyOptions, model: string): OptionDeclaration[] {
  return (family.grid ?? family.declarations).filter(
    (d) => d.search === true && (!family.trainerIgnoresUnread || readersOf(family, d).includes(model)),
  );
}

/** The value at `path` in `source` (undefined where the path ends early). */
export function getIn(source: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
    source,
  );
}

/**
 * `target` with `value` at `path`, copying each object along the way (the original is not changed);
 * an undefined value is set too, as an unset option.
 */
export function setIn<T extends object>(target: T, path: readonly string[], value: unknown): T {
  if (path.length === 0) throw new OptionError('an option needs a place in the trainer options');
  const [head, ...rest] = path;
  const record = target as Record<string, unknown>;
  const inner = (record[head] ?? {}) as object;
  return { ...target, [head]: rest.length === 0 ? value : setIn(inner, rest, value) };
}
