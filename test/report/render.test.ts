import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelBalanceChart } from '../../src/report/dataset-charts.js';
import { fontsAvailable, renderChart, svgToPng } from '../../src/report/render.js';
import { textWidth } from '../../src/report/text-width.js';
import { parseSvg, pngSize, svgTexts } from './helpers.js';

const spec = labelBalanceChart([
  { split: 'train', label: 'neg', count: 3 },
  { split: 'train', label: 'pos', count: 5 },
]);

/** The SVG's size in pixels at `scale`, rounded as the rasteriser rounds it. */
function svgSize(svg: string, scale = 1): { width: number; height: number } {
  const root = parseSvg(svg).documentElement!;
  const size = (name: string) => Math.round(scale * Number(root.getAttribute(name)));
  return { width: size('width'), height: size('height') };
}

/** Share of pixels that are not white. */
function ink(size: { width: number; height: number }, pixels: Buffer): number {
  assert.equal(pixels.length, size.width * size.height * 4);
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 250 || pixels[i + 1] < 250) dark++;
  return dark / (pixels.length / 4);
}

describe('renderChart', () => {
  it('gives SVG and a PNG twice its size (the default scale), with the same texts in the SVG', async () => {
    const chart = await renderChart(spec);
    assert.deepEqual(chart.warnings, []);
    const svg = svgSize(chart.svg);
    assert.ok(
      svg.width > 100 && svg.width < 1000 && svg.height > 100 && svg.height < 1000,
      JSON.stringify(svg),
    );
    assert.deepEqual(pngSize(chart.png), svgSize(chart.svg, 2));
    assert.deepEqual({ width: chart.width, height: chart.height }, pngSize(chart.png));
    assert.ok(svgTexts(parseSvg(chart.svg)).includes('Label balance'), 'title in the SVG');
  });

  it('scales the PNG by pngScale', async () => {
    const chart = await renderChart(spec, { pngScale: 1 });
    assert.deepEqual(pngSize(chart.png), svgSize(chart.svg));
  });

  it('leaves the spec it is given as it was', async () => {
    const before = JSON.stringify(spec);
    await renderChart(spec);
    assert.equal(JSON.stringify(spec), before);
  });
});

describe('fonts', () => {
  const text = (fill: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">` +
    `<text x="4" y="28" font-size="24" font-family="sans-serif" fill="${fill}">Hamburg</text></svg>`;

  it('without any font file, finds none and draws no text', () => {
    assert.equal(fontsAvailable({ systemFonts: false }), false);
    const { png } = svgToPng(text('black'), { systemFonts: false, pngScale: 1 });
    assert.deepEqual(pngSize(png), { width: 120, height: 40 });
  });

  it('with the system fonts, draws text (install fonts-dejavu-core where this fails)', async () => {
    assert.equal(fontsAvailable(), true, 'no system font found: PNG charts would have no text');
    const { Resvg } = await import('@resvg/resvg-js');
    const render = (systemFonts: boolean) => {
      const image = new Resvg(text('black'), {
        background: 'white',
        font: { loadSystemFonts: systemFonts },
      }).render();
      return ink({ width: image.width, height: image.height }, image.pixels);
    };
    assert.equal(render(false), 0);
    assert.ok(render(true) > 0.02, 'text drawn with a system font');
  });
});

describe('textWidth', () => {
  it('measures with DejaVu Sans widths: wider for wide letters, bold and larger sizes', () => {
    assert.ok(textWidth({ fontSize: 10 }, 'WWW') > textWidth({ fontSize: 10 }, 'iii'), 'W is wider than i');
    assert.ok(
      textWidth({ fontSize: 10, fontWeight: 'bold' }, 'abc') > textWidth({ fontSize: 10 }, 'abc'),
      'bold',
    );
    assert.equal(textWidth({ fontSize: 20 }, 'abc'), 2 * textWidth({ fontSize: 10 }, 'abc'));
    // "0" is 636/1000 em wide in DejaVu Sans.
    assert.ok(Math.abs(textWidth({ fontSize: 10 }, '00') - 12.72) < 1e-9, 'digits');
  });

  it('trims the text, defaults to 11 px, and never exceeds the limit', () => {
    assert.equal(textWidth({}, ' ab '), textWidth({ fontSize: 11 }, 'ab'));
    assert.equal(textWidth({ fontSize: 11, limit: 5 }, 'a long title'), 5);
    assert.equal(textWidth({}, null), 0);
  });
});
