/**
 * Finds the examples of the README and docs/*.md: the shell commands of their ```sh blocks and the
 * TypeScript of their ```ts blocks, with file and line, so that a test can run every one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One example as written on a page. */
export interface DocExample {
  /** The page, relative to the repository root (`README.md`, `docs/cli.md`). */
  readonly file: string;
  /** The line of the page where the example starts (1-based). */
  readonly line: number;
  readonly kind: 'shell' | 'typescript';
  /** A shell command on one line (continuations joined, comments dropped), or a whole TS block. */
  readonly text: string;
}

/** A fence whose block holds a polarity command but no language that says it is a shell command. */
export interface UntaggedCommand {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const SHELL = new Set(['sh', 'bash', 'shell']);
const TYPESCRIPT = new Set(['ts', 'typescript']);
/** How the pages write the executable: installed, through npx, or through the repository's script. */
const COMMAND_PREFIX = /^(?:npx polarity|npm run polarity --|node dist\/cli\/bin\.js)(?=\s|$)/;

/** The pages whose examples are run: the README and every page of docs/. */
export function docPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs].map((path) => relative(root, path));
}

/** Reads the examples of one page (`file` relative to `root`). */
export function pageExamples(
  root: string,
  file: string,
): { examples: DocExample[]; untagged: UntaggedCommand[] } {
  return parseExamples(file, readFileSync(join(root, file), 'utf8'));
}

/** The examples of a Markdown text; exported apart from the file reading so that it can be tested. */
export function parseExamples(
  file: string,
  markdown: string,
): { examples: DocExample[]; untagged: UntaggedCommand[] } {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  const untagged: UntaggedCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const start = i + 1; // the fence's own line, 1-based
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++) {
      // A block indented under a list item carries that indentation on each of its lines.
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
    }
    const lang = language.toLowerCase();
    if (TYPESCRIPT.has(lang)) {
      examples.push({ file, line: start + 1, kind: 'typescript', text: body.join('\n') });
    } else if (SHELL.has(lang)) {
      for (const command of shellCommands(body, start + 1))
        examples.push({ file, kind: 'shell', ...command });
    } else {
      // Output blocks are untagged; a command hiding in one would escape the test, so it is reported.
      body.forEach((text, k) => {
        if (/^\s*(?:\$\s*)?(?:polarity|npx polarity|npm run polarity)\s/.test(text))
          untagged.push({ file, line: start + 1 + k, text: text.trim() });
      });
    }
  }
  return { examples, untagged };
}

/** The commands of a shell block: `\` continuations joined, blank lines and comments dropped. */
export function shellCommands(body: readonly string[], firstLine: number): { line: number; text: string }[] {
  const commands: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  body.forEach((raw, k) => {
    const text = stripComment(raw).trim();
    const continued = text.endsWith('\\');
    const part = continued ? text.slice(0, -1).trim() : text;
    if (pending) pending.text = `${pending.text} ${part}`.trim();
    else if (part !== '') pending = { line: firstLine + k, text: part };
    if (!continued && pending) {
      if (pending.text !== '') commands.push(pending);
      pending = undefined;
    }
  });
  if (pending && pending.text !== '') commands.push(pending);
  return commands;
}

/** Drops a `# comment` that is outside quotes (a `#` inside a word or a quoted text stays). */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** The command with the executable written as `polarity`, however the page invokes it. */
export function asPolarity(command: string): string {
  return command.trim().replace(COMMAND_PREFIX, 'polarity');
}

/** How a command is named in the test's list of plans: as `polarity …`, runs of spaces as one. */
export function commandKey(command: string): string {
  return asPolarity(command).replace(/\s+/g, ' ');
}
