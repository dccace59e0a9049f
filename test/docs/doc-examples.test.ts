import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { asPolarity, commandKey, parseExamples, shellCommands, stripComment } from './doc-examples.js';

// Seeded, so that a run is repeatable (a failure prints its counterexample).
fc.configureGlobal({ seed: 16 });

describe('parseExamples', () => {
  it('finds shell commands and TypeScript blocks with their lines, and ignores output blocks', () => {
    const page = [
      '# Page', //                                            1
      '',
      '```sh',
      'polarity train --data reviews.csv \\', //             4
      '  --model nb   # the fastest',
      '',
      '# a comment line',
      'npm test',
      '```',
      '',
      '```',
      'error: reviews.csv:3: 3 fields where 2 were expected',
      '```',
      '- a list item:',
      '',
      '  ```ts',
      "  import { loadClassifier } from 'polarity';", //     17
      '  ```',
    ].join('\n');
    const { examples, untagged } = parseExamples('page.md', page);
    assert.deepEqual(examples, [
      { file: 'page.md', line: 4, kind: 'shell', text: 'polarity train --data reviews.csv --model nb' },
      { file: 'page.md', line: 8, kind: 'shell', text: 'npm test' },
      { file: 'page.md', line: 17, kind: 'typescript', text: "import { loadClassifier } from 'polarity';" },
    ]);
    assert.deepEqual(untagged, []);
  });

  it('reports a polarity command written in a block without a shell language', () => {
    const { examples, untagged } = parseExamples('page.md', '```\n$ npx polarity stats --data x.csv\n```\n');
    assert.deepEqual(examples, []);
    assert.deepEqual(untagged, [{ file: 'page.md', line: 2, text: '$ npx polarity stats --data x.csv' }]);
  });

  it('closes a fence only with a fence at least as long as the one that opened it', () => {
    const { examples } = parseExamples('p.md', '````sh\npolarity a\n```\npolarity b\n````\n');
    // The inner ``` is a line of the block, not its end: the command after it is still found.
    assert.ok(examples.some((e) => e.text === 'polarity b'));
    assert.ok(examples.every((e) => e.kind === 'shell'));
  });
});

describe('stripComment', () => {
  it('drops a comment outside quotes and keeps a # inside quotes or a word', () => {
    assert.equal(stripComment('npm test   # the suite'), 'npm test   ');
    assert.equal(
      stripComment(`polarity predict "a #1 film" 'b # c' x#y`),
      `polarity predict "a #1 film" 'b # c' x#y`,
    );
    assert.equal(stripComment('# all of it'), '');
    assert.equal(stripComment(String.raw`echo \# kept # dropped`), String.raw`echo \# kept `);
  });

  it('never adds text, and keeps any line without #', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const out = stripComment(line);
        assert.ok(line.startsWith(out));
        if (!line.includes('#')) assert.equal(out, line);
      }),
    );
  });
});

describe('shellCommands', () => {
  it('joins continuations and numbers each command by its first line', () => {
    assert.deepEqual(shellCommands(['a \\', 'b \\', '  c', '', 'd'], 10), [
      { line: 10, text: 'a b c' },
      { line: 14, text: 'd' },
    ]);
  });

  it('keeps a last command whose continuation never ends', () => {
    assert.deepEqual(shellCommands(['a \\'], 1), [{ line: 1, text: 'a' }]);
  });
});

describe('asPolarity and commandKey', () => {
  it('write every way of starting the CLI as polarity', () => {
    for (const start of ['polarity', 'npx polarity', 'npm run polarity --', 'node dist/cli/bin.js']) {
      assert.equal(asPolarity(`${start} stats --data x.csv`), 'polarity stats --data x.csv');
    }
    assert.equal(asPolarity('npm test'), 'npm test');
    assert.equal(commandKey('npx polarity  train   --model nb'), 'polarity train --model nb');
  });
});
