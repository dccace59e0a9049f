/**
 * The model flags that `train`, `cv` and `search` share, made from the families' option
 * declarations (models/<family>/option-declarations.ts): `--model`, each family's flags with their
 * help, the check that no flag of another family was given, and the `TrainerChoice` the flags describe.
 */
import { Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import { familyOptions, familyOptionsOf } from '../models/family-options.js';
import {
  declarationPath,
  flagName,
  getIn,
  kebab,
  readersOf,
  setIn,
  camel,
  type FamilyOptions,
  type FlagDeclaration,
  type OptionDeclaration,
  type ValueParser,
} from '../models/options.js';
import { modelFamily, type ModelFamily, type TrainerChoice } from '../models/trainers.js';
import { argumentParser } from './options.js';

export { kebab } from '../models/options.js';

/** What commander parsed: `--model` and each model flag under its camel-cased name. */
export interface ModelFlags {
  model: string;
  members?: string[];
  /** `--max-record-bytes` of the data options, which bounds the lines of --embeddings too. */
  maxRecordBytes?: number;
  readonly [flag: string]: unknown;
}

/** One declaration of a flag: a family that reads it. */
interface FlagUse {
  readonly family: FamilyOptions;
  readonly declaration: OptionDeclaration;
}

/** A model flag: its name and the families that read it, the first of which gives its help. */
interface ModelFlag {
  /** Without dashes: `num-words`. */
  readonly name: string;
  /** Where commander keeps its value: `numWords`. */
  readonly attribute: string;
  readonly uses: readonly FlagUse[];
}

/**
 * The flags of `families`, in the order they first declare them (an ensemble's first, as they name
 * the models whose flags follow); a flag several read is one flag.
 */
function modelFlags(families: readonly FamilyOptions[]): ModelFlag[] {
  const flags = new Map<string, FlagUse[]>();
  const ordered = [
    ...families.filter((f) => f.takesMemberFlags),
    ...families.filter((f) => !f.takesMemberFlags),
  ];
  for (const family of ordered) {
    for (const declaration of family.declarations) {
      const name = flagName(declaration);
      if (name === undefined) continue;
      flags.set(name, [...(flags.get(name) ?? []), { family, declaration }]);
    }
  }
  return [...flags].map(([name, uses]) => ({ name, attribute: camel(name), uses }));
}

/** `[neural, fasttext]`: the families (or, where only some read it, the models) a flag applies to. */
function tags(uses: readonly FlagUse[]): string[] {
  return uses.flatMap(({ family, declaration }) => {
    if (family.label === null) return [];
    if (declaration.models) return [...declaration.models()];
    return [family.label ?? family.models().join(', ')];
  });
}

function flagDeclaration(declaration: OptionDeclaration): FlagDeclaration {
  return declaration.flag || {};
}

/** Whether --help shows a declaration's default per model (commander shows a flag's own default). */
function showsDefault(declaration: OptionDeclaration): boolean {
  return (
    declaration.default !== undefined &&
    declaration.defaultInHelp !== false &&
    flagDeclaration(declaration).default === undefined
  );
}

/**
 * "(default: 128)", or, where models differ, "(defaults: mlp, cnn 5000; cnn-global 50000)": models
 * of one family with the same default share an entry.
 */
function defaultsNote(uses: readonly FlagUse[]): string {
  const entries: { models: string[]; value: string }[] = [];
  for (const { family, declaration } of uses.filter((use) => showsDefault(use.declaration))) {
    const byValue = new Map<string, string[]>();
    for (const model of readersOf(family, declaration)) {
      const value = String(declaration.default?.(model));
      byValue.set(value, [...(byValue.get(value) ?? []), model]);
    }
    for (const [value, models] of byValue) entries.push({ models, value });
  }
  if (entries.length === 0) return '';
  if (entries.length === 1) return ` (default: ${entries[0].value})`;
  return ` (defaults: ${entries.map(({ models, value }) => `${models.join(', ')} ${value}`).join('; ')})`;
}

/**
 * A flag's help: its tags, the first family's text and the defaults of the families that share
 * it, then the words of those that add their own (`sharedHelp`).
 */
function helpOf({ uses }: ModelFlag, text = uses[0].declaration.help ?? ''): string {
  const [first, ...rest] = uses;
  const noted = [first, ...rest.filter((use) => use.declaration.sharedHelp === undefined)];
  const tagged = tags(uses);
  return (
    (tagged.length > 0 ? `[${tagged.join(', ')}] ` : '') +
    text +
    defaultsNote(noted) +
    rest.map((use) => use.declaration.sharedHelp ?? '').join('')
  );
}

/**
 * The parser of a flag: the declaration's, or where families of different ranges share it (--ngrams),
 * the syntax they share; each family then checks its own range.
 */
function parserOf({ uses }: ModelFlag): ValueParser<unknown> {
  const value = uses[0].declaration.value;
  const same = uses.every((use) => use.declaration.value.expected === value.expected);
  return same ? value : (value.unbounded ?? value);
}

/** The commander options of a flag: the flag, and its negation where it has one. */
function commanderOptions(flag: ModelFlag): Option[] {
  const declared = flagDeclaration(flag.uses[0].declaration);
  const parser = parserOf(flag);
  const isSwitch = parser.argument === '' || declared.sets !== undefined;
  const option = new Option(
    isSwitch ? `--${flag.name}` : `--${flag.name} <${declared.argument ?? parser.argument}>`,
    helpOf(flag),
  );
  if (!isSwitch) {
    if (parser.choices) option.choices(parser.choices);
    else option.argParser(argumentParser(parser));
  }
  if (declared.default !== undefined) option.default(declared.default);
  if (declared.negation === undefined) return [option];
  return [option, new Option(`--no-${flag.name}`, helpOf(flag, declared.negation))];
}

/** The families a command offers: all, or without the ensemble's for commands that cannot train one. */
function familiesFor(members: boolean): FamilyOptions[] {
  return familyOptions().filter((family) => members || !family.takesMemberFlags);
}

/**
 * The families' rows under "Model families:", after the options of --help: made when the help is
 * shown, so that a family registered after the command was built is listed too.
 */
export function familiesHelp(): string {
  return [
    '',
    'Model families:',
    ...familyOptions()
      .flatMap((family) => family.help ?? [])
      .flatMap(({ models, lines }) =>
        lines.map((line, i) => `  ${(i === 0 ? models : '').padEnd(14)}${line}`),
      ),
    'Defaults per model are documented in the README (they were chosen by measurement).',
  ].join('\n');
}

/** `--model`, limited to the names a command can work with; mandatory unless a default is given. */
export function modelOption(models: readonly string[], defaultModel?: string): Option {
  const option = new Option('--model <name>', 'model family (see below)').choices(models);
  return defaultModel === undefined ? option.makeOptionMandatory() : option.default(defaultModel);
}

/**
 * Adds each family's flags (and, for commands that can train an ensemble, its `--members`) to
 * `command`, with the families' help after the options.
 */
export function addModelFlags(command: Command, options: { readonly members: boolean }): Command {
  return addFamilyFlags(command, familiesFor(options.members)).addHelpText('after', familiesHelp);
}

/** Adds the flags that `families` declare to `command`, each once, in the order they first declare them. */
export function addFamilyFlags(command: Command, families: readonly FamilyOptions[]): Command {
  for (const flag of modelFlags(families)) {
    for (const option of commanderOptions(flag)) command.addOption(option);
  }
  return command;
}

/**
 * Returns the model's family after checking that every flag given on the command line applies to
 * it. `alsoNotFor` names a command's own flags that some families do not read.
 */
export function checkModelFlags(
  flags: ModelFlags,
  command: Command,
  alsoNotFor: Partial<Record<ModelFamily, readonly string[]>> = {},
): ModelFamily {
  const given = (attribute: string) => command.getOptionValueSource(attribute) === 'cli';
  const name = modelFamily(flags.model);
  const family = familyOptionsOf(flags.model);
  const all = modelFlags(familyOptions());
  const ours = (flag: ModelFlag) => flag.uses.some((use) => use.family === family);
  // An ensemble passes the flags on to its fresh members, but not those a saved member would ignore.
  const foreign = all.filter((flag) =>
    family?.takesMemberFlags
      ? !ours(flag) && flag.uses.some((use) => use.declaration.passedToMembers === false)
      : !ours(flag),
  );
  const notRead = family?.trainerIgnoresUnread
    ? all.filter((flag) =>
        flag.uses.some(
          (use) => use.family === family && !readersOf(family, use.declaration).includes(flags.model),
        ),
      )
    : [];
  const misplaced =
    [...foreign.map((flag) => flag.attribute), ...(alsoNotFor[name] ?? [])].find(given) ??
    notRead.map((flag) => flag.attribute).find(given);
  if (misplaced) {
    throw new OptionError(`--${kebab(misplaced)} does not apply to --model ${flags.model}`);
  }
  for (const flag of all) {
    const needs = flag.uses[0].declaration.needs;
    if (needs === undefined || !given(flag.attribute)) continue;
    const needed = all.find((other) => other.uses.some((use) => use.declaration.key === needs));
    if (flags[needed?.attribute ?? needs] !== undefined) continue;
    const argument = needed && parserOf(needed).argument.toUpperCase();
    throw new OptionError(`--${flag.name} needs --${needed?.name ?? kebab(needs)} ${argument ?? ''}`.trim());
  }
  checkFamilyOptions(flags, family);
  return name;
}

/**
 * Runs the families' own checks (a network over the size ceilings, models/network-size.ts) before
 * any data is read or anything allocated, naming the flags to lower: an ensemble's fresh members
 * included.
 */
function checkFamilyOptions(flags: ModelFlags, family: FamilyOptions | undefined): void {
  const choice = trainerChoiceFromFlags(flags);
  const models = family?.takesMemberFlags ? (flags.members ?? []) : [flags.model];
  for (const model of models) {
    const own = familyOptionsOf(model);
    own?.check?.(model, getIn(choice, own.path), (key) => `--${kebab(key)}`);
  }
}

/** Marks a declaration that no command sets. */
const UNSET = Symbol('unset');

/** The value a declaration takes from the command line: its flag's, or the command's own option's. */
function valueOf(declaration: OptionDeclaration, flags: ModelFlags): unknown {
  if (declaration.fromCommand) return flags[declaration.key];
  // No flag: set by the library or the grid only. (A run's validation split, early stopping and
  // checkpoints are not model flags: `trainModel` puts them where the family's entry says.)
  if (declaration.flag === false) return UNSET;
  const value = flags[camel(flagName(declaration) ?? declaration.key)];
  const sets = flagDeclaration(declaration).sets;
  return sets === undefined ? value : value ? sets : undefined;
}

/** The trainer options the flags describe, for `createTrainer`: each declaration's value at its place. */
export function trainerChoiceFromFlags(flags: ModelFlags): TrainerChoice {
  let choice: TrainerChoice = {};
  for (const family of familyOptions()) {
    const byKey = new Map(family.declarations.map((d) => [d.key, d]));
    for (const declaration of family.declarations) {
      const value = valueOf(declaration, flags);
      // An unset option is left out, so that no trainer takes `embeddings: { file: undefined }` for a file.
      if (value === UNSET || value === undefined) continue;
      const needed = declaration.needs === undefined ? undefined : byKey.get(declaration.needs);
      if (needed && valueOf(needed, flags) === undefined) continue;
      choice = setIn(choice, declarationPath(family, declaration), value);
    }
  }
  return choice;
}
