/**
 * Run by output-dir.test.ts in a process of its own, to be killed with SIGKILL at a random moment: writes
 * model directory DIR again and again, write N holding files whose contents all say N (and a large one,
 * so that a write takes a while), and prints "ready" once the first write is done.
 */
import { writeModelDirectory } from '../../src/persist/model-dir.js';

const [dir] = process.argv.slice(2);
const big = new Uint8Array(1 << 20);
for (let n = 1; ; n++) {
  big.fill(n % 256);
  await writeModelDirectory(
    dir,
    {
      kind: 'mlp',
      labels: ['neg', 'pos'],
      hyperParameters: { write: n },
      encoder: {},
      training: { createdAt: new Date().toISOString() },
    },
    { 'a.txt': `write ${n}`, 'nested/b.txt': `write ${n}`, 'weights.bin': big },
  );
  if (n === 1) process.stdout.write('ready\n');
}
