/**
 * The web page in a real browser: Debian's chromium driven by playwright-core, headless. Types a
 * review, clicks Predict, reads the label and the tinted words, and saves a screenshot under
 * test-artifacts/ for a person to look at.
 *
 * Without chromium this test fails, saying how to install it; a developer who cannot install it may set
 * POLARITY_SKIP_BROWSER=1, and the test is then reported as skipped with that reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest } from '../../src/persist/index.js';
import { createService } from '../../src/serve/server.js';
import { saveSampleNbsvm } from '../helpers/models.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const skip =
  process.env.POLARITY_SKIP_BROWSER === '1' ? 'POLARITY_SKIP_BROWSER=1: the browser test was not run' : false;

function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(
    "the browser test needs Debian's chromium: `apt-get install -y chromium` (or set POLARITY_SKIP_BROWSER=1 to skip it, reported as skipped)",
  );
}

/** Polls `condition` until it holds (10 s at most). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the page did not reach the expected state: ${condition.toString()}`);
}

describe('the web page', { skip }, () => {
  const root = mkdtemp(join(tmpdir(), 'polarity-browser-'));
  after(async () => rm(await root, { recursive: true, force: true }));
  let modelDir: string;
  before(async () => {
    modelDir = join(await root, 'nbsvm');
    await saveSampleNbsvm(modelDir);
  });

  it('predicts a typed review and tints its words', async () => {
    const classifier = await loadClassifier(modelDir);
    const app = await createService(classifier, await readManifest(modelDir));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--headless'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
      const external: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(`http://127.0.0.1:${port}/`)) external.push(request.url());
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      await until(async () => !(await page.textContent('#model'))?.startsWith('Loading'));
      assert.match((await page.textContent('#model')) ?? '', /Model: nbsvm, labels neg \/ pos/);

      const review =
        'A wonderful film with a superb cast and a moving story. Sadly the ending is awful and boring.';
      await page.fill('#review', review);
      await page.click('#predict');
      await page.waitForSelector('#explained .word');
      await until(async () => (await page.textContent('#status')) === '');

      const [expected] = await classifier.predict([review]);
      const percent = `${(100 * expected.score).toFixed(1)}%`;
      assert.equal(await page.textContent('#label'), expected.label);
      assert.equal(await page.textContent('#score'), percent);
      assert.match((await page.getAttribute('#bar-fill', 'style')) ?? '', new RegExp(`width: ${percent}`));

      // The review is shown as typed, each word tinted by its contribution: towards pos (green) or neg (red).
      assert.equal(await page.textContent('#explained'), review);
      const tints: Record<string, string | null> = {};
      for (const span of await page.locator('#explained .word').all()) {
        tints[(await span.textContent()) ?? ''] = await span.getAttribute('data-tint');
      }
      assert.equal(tints.wonderful, 'towards', JSON.stringify(tints));
      assert.equal(tints.awful, 'against', JSON.stringify(tints));
      const green = await page.evaluate(
        `getComputedStyle(document.querySelector('#explained .word[data-tint="towards"]')).backgroundColor`,
      );
      assert.match(String(green), /^rgba\(22, 150, 70, 0\.\d+\)$/);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'web-page.png'), fullPage: true });

      // An example review fills the box and is predicted in one click.
      await page.click('.example >> nth=1');
      await until(async () => (await page.inputValue('#review')) !== review);
      await until(async () => (await page.textContent('#status')) === '');
      assert.match(await page.inputValue('#review'), /^Dull and far too long/);
      assert.equal(await page.textContent('#label'), 'neg');
      assert.deepEqual(external, []);
    } finally {
      await browser.close();
      await app.close();
      classifier.dispose();
    }
  });
});
