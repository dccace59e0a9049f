/**
 * Vega-Lite spec → SVG → PNG, on the server, without a browser: Vega-Lite compiles the spec to Vega, Vega's
 * headless view draws it as SVG (laying text out with its own width estimate, since there is no canvas to
 * measure with), and resvg (Rust, shipped as a binary inside its npm package) rasterises the SVG.
 *
 * Text in the PNG needs a font file, which resvg looks for among the system's fonts (on Debian,
 * fonts-dejavu-core puts DejaVu Sans there; most desktop systems have several). Where there is none, the
 * PNGs come out without text — {@link fontsAvailable} lets a caller warn about it; the SVGs are unaffected,
 * as the browser showing them brings its own fonts.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { logger, parse, View, Warn } from 'vega';
import { compile } from 'vega-lite';
import { textWidth, type TextItem } from './text-width.js';
import { FONT, type ChartSpec } from './theme.js';

export interface RenderOptions {
  /** Pixels per SVG unit in the PNG. Default 2, sharp on high-density screens and in print. */
  readonly pngScale?: number;
  /** Font files (TTF/OTF) to use besides (or, with `systemFonts: false`, instead of) the system's. */
  readonly fontFiles?: readonly string[];
  /** Whether resvg looks for the system's fonts. Default true. */
  readonly systemFonts?: boolean;
}

export interface RenderedChart {
  readonly svg: string;
  readonly png: Uint8Array;
  /** PNG size in pixels. */
  readonly width: number;
  readonly height: number;
  /** What Vega-Lite and Vega warned about while drawing; a well-formed spec gives none. */
  readonly warnings: readonly string[];
}

/** Draws a spec as SVG and PNG. */
export async function renderChart(spec: ChartSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  const { svg, warnings } = await renderSvg(spec);
  const { png, width, height } = svgToPng(svg, options);
  return { svg, png, width, height, warnings };
}

/** Draws a spec as SVG text, collecting Vega-Lite's and Vega's warnings instead of printing them. */
export async function renderSvg(spec: ChartSpec): Promise<{ svg: string; warnings: string[] }> {
  const warnings: string[] = [];
  const log = logger(Warn, undefined, (_method, level, args) => {
    warnings.push(`${level} ${args.map(String).join(' ')}`);
  });
  // Vega tags the data objects it ingests; a copy keeps the caller's spec as it was.
  const vegaSpec = compile(structuredClone(spec), { logger: log }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logger: log });
  measuring++;
  metrics.width = textWidth;
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
    if (--measuring === 0) metrics.width = vegaWidth;
  }
}

/**
 * Vega's text measure, which Vega lets a caller replace (vl-convert does the same). It is swapped for
 * {@link textWidth} only while a chart of ours is being laid out, and put back after the last one, so that
 * other Vega users in the process keep theirs.
 */
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } })
  .textMetrics;
const vegaWidth = metrics.width;
let measuring = 0;

/** Rasterises SVG text as PNG on a white background. */
export function svgToPng(
  svg: string,
  options: RenderOptions = {},
): { png: Uint8Array; width: number; height: number } {
  const image = new Resvg(svg, {
    ...resvgOptions(options),
    fitTo: { mode: 'zoom', value: options.pngScale ?? 2 },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

let systemFontsFound: boolean | undefined;

/**
 * Whether text can be drawn into PNGs with these options: renders a word and looks for ink. With the
 * default options the answer is computed once per process.
 */
export function fontsAvailable(options: RenderOptions = {}): boolean {
  const defaults = options.fontFiles === undefined && options.systemFonts === undefined;
  if (defaults && systemFontsFound !== undefined) return systemFontsFound;
  const probe =
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">' +
    `<text x="2" y="16" font-size="16" font-family="${FONT}">Hg</text></svg>`;
  const pixels = new Resvg(probe, { ...resvgOptions(options), background: undefined }).render().pixels;
  let ink = false;
  for (let i = 3; i < pixels.length && !ink; i += 4) ink = pixels[i] > 0;
  if (defaults) systemFontsFound = ink;
  return ink;
}

function resvgOptions(options: RenderOptions): ResvgRenderOptions {
  return {
    background: 'white',
    font: {
      loadSystemFonts: options.systemFonts ?? true,
      fontFiles: [...(options.fontFiles ?? [])],
      // Left alone, resvg maps "sans-serif" and unknown families to the first font it found, on Debian a
      // serif one. Where DejaVu Sans is missing, resvg falls back to any font it has.
      sansSerifFamily: 'DejaVu Sans',
      defaultFontFamily: 'DejaVu Sans',
    },
    // resvg would print a warning to stderr for each font family of the SVG the machine lacks.
    logLevel: 'off',
  };
}
