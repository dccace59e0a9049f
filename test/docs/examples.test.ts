/**
 * Every command example of README.md and docs/*.md runs on fixtures and exits 0, and every
 * TypeScript example runs against the library's sources. How each command is run (as written,
 * with arguments added, replaced, or skipped with a reason) is listed in example-plans.ts.
 */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asPolarity, commandKey, docPages, pageExamples, type DocExample } from './doc-examples.js';
import { PLANS } from './example-plans.js';
import {
  LIBRARY,
  TSX,
  makeWorkspace,
  removeSharedFixtures,
  runShell,
  startServer,
  type CommandResult,
  type RunningServer,
} from './example-workspace.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND_TIMEOUT_MS = 120_000;
const pages = docPages(ROOT).map((file) => ({ file, ...pageExamples(ROOT, file) }));
const workspaces: string[] = [];
after(async () => {
  await Promise.all(workspaces.map((dir) => rm(dir, { recursive: true, force: true })));
  await removeSharedFixtures();
});

describe('the examples of the README and docs/', () => {
  it('are found: the README has its CLI and library examples', () => {
    const readme = pages.find((page) => page.file === 'README.md')!;
    assert.ok(readme.examples.some((e) => e.kind === 'typescript'));
    assert.ok(readme.examples.filter((e) => e.kind === 'shell').length >= 5);
  });

  it('write every command in a ```sh block, where this test sees it', () => {
    assert.deepEqual(
      pages.flatMap((page) => page.untagged.map((u) => `${u.file}:${u.line}: ${u.text}`)),
      [],
    );
  });

  it('still hold every command that example-plans.ts lists', () => {
    const written = new Set(pages.flatMap((page) => page.examples.map((e) => commandKey(e.text))));
    assert.deepEqual(
      [...PLANS.keys()].filter((key) => !written.has(key)),
      [],
    );
  });
});

// Pages run side by side, two at a time; a page's examples run in order in a workspace of its own,
// so a page may use the model its earlier example trained.
describe('each page, run on fixtures', { concurrency: 2 }, () => {
  for (const page of pages.filter((p) => p.examples.length > 0)) {
    it(page.file, async (t) => {
      const { dir, env } = await makeWorkspace();
      workspaces.push(dir);
      let server: RunningServer | undefined;
      try {
        for (const example of page.examples) {
          const plan = PLANS.get(commandKey(example.text));
          const where = `${example.file}:${example.line}`;
          if (plan && 'skip' in plan) {
            t.diagnostic(`${where}: not run (${plan.skip}): ${example.text}`);
            continue;
          }
          if (example.kind === 'typescript') {
            await runLibraryExample(example, dir, env);
            continue;
          }
          let command = asPolarity(example.text);
          if (plan && 'append' in plan) command = `${command} ${plan.append}`;
          if (plan && 'instead' in plan) command = plan.instead;
          if (/^polarity serve\b/.test(command)) {
            assert.equal(server, undefined, `${where}: a second server on one page`);
            server = await startServer(command, dir, env);
            continue;
          }
          if (/\blocalhost:8080\b/.test(command)) {
            assert.ok(
              server,
              `${where}: talks to localhost:8080 but no polarity serve example comes before it`,
            );
            command = command.replace(/\blocalhost:8080\b/g, server.address);
          }
          expectSuccess(where, command, await runShell(command, dir, env, COMMAND_TIMEOUT_MS));
        }
      } finally {
        if (server)
          expectSuccess(`${page.file}: polarity serve, stopped by SIGTERM`, 'serve', await server.stop());
      }
    });
  }
});

/** Writes a TypeScript example beside the fixtures, importing the sources for 'polarity', and runs it. */
async function runLibraryExample(example: DocExample, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // .mts: the workspace has no package.json saying that its .ts files are ES modules.
  const file = join(dir, `example-${example.line}.mts`);
  const source = example.text.replace(/from 'polarity'/g, `from '${pathToFileURL(LIBRARY).href}'`);
  assert.notEqual(
    source,
    example.text,
    `${example.file}:${example.line}: the example imports from 'polarity'`,
  );
  await writeFile(file, source);
  const result = await runShell(
    `"${process.execPath}" --import "${TSX}" "${file}"`,
    dir,
    env,
    COMMAND_TIMEOUT_MS,
  );
  expectSuccess(`${example.file}:${example.line}`, 'the library example', result);
}

function expectSuccess(where: string, command: string, result: CommandResult): void {
  assert.equal(
    result.code,
    0,
    `${where}: ${command} exited ${result.code ?? result.signal}\n${result.stderr.slice(-2000)}${result.stdout.slice(-1000)}`,
  );
}
