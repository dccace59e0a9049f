/**
 * Every command's --help, compared with a reviewed snapshot: a restructuring of how options are
 * declared must keep the same flags, the same defaults and the same help text. After a deliberate
 * change, review the difference and rewrite the snapshot with POLARITY_UPDATE_SNAPSHOTS=1.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

const SNAPSHOT = fileURLToPath(new URL('../fixtures/help.txt', import.meta.url));

/** Help at a fixed width, with what depends on the machine (home folder, core count) named instead. */
function helpOf(command: Command): string {
  command.configureHelp({ helpWidth: 100 });
  const cores = availableParallelism();
  return command
    .helpInformation()
    .replaceAll(homedir(), '~')
    .replace(/at most 4 per core, \d+ here/g, 'at most 4 per core, CORES×4 here')
    .replace(new RegExp(`(--workers <n>[^]*?\\(default: )${cores}\\)`), '$1CORES)');
}

async function everyHelp(): Promise<string> {
  const program = await buildProgram();
  const pages = [`===== polarity\n${helpOf(program)}`];
  for (const command of program.commands) pages.push(`===== polarity ${command.name()}\n${helpOf(command)}`);
  return pages.join('\n');
}

describe('--help of every command', () => {
  it('matches the reviewed snapshot (same options, same defaults, same text)', async () => {
    const actual = await everyHelp();
    if (process.env.POLARITY_UPDATE_SNAPSHOTS === '1') await writeFile(SNAPSHOT, actual);
    const expected = await readFile(SNAPSHOT, 'utf8');
    assert.equal(actual, expected, 'run with POLARITY_UPDATE_SNAPSHOTS=1 after reviewing the change');
  });

  it('lists every command of the program', async () => {
    const names = (await buildProgram()).commands.map((command) => command.name());
    for (const name of ['train', 'evaluate', 'predict', 'explain', 'serve', 'cv', 'search', 'summary']) {
      assert.ok((await everyHelp()).includes(`===== polarity ${name}\n`), name);
      assert.ok(names.includes(name), name);
    }
  });
});
