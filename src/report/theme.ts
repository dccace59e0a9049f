/**
 * What every chart shares: the Vega-Lite spec type the chart functions return, one look (fonts, sizes,
 * grid, background) and one colour per label, so that "pos" has the same colour in every chart of a report.
 */
import type { Config, TopLevelSpec } from 'vega-lite';

/** A complete Vega-Lite specification, data included: what the chart functions return and the renderer takes. */
export type ChartSpec = TopLevelSpec;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * DejaVu Sans first because it is the font most Linux machines have, and the one the PNG renderer will
 * find there; a browser showing the SVG without it falls back to its own sans-serif.
 */
export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Tableau 10's first colours: distinguishable by most colour-blind readers, and on paper in grey. */
export const LABEL_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b'];

/** The colour scale of a label field: labels keep their colour across charts as long as `labels` is the same. */
export function labelScale(labels: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...labels],
    range: labels.map((_, i) => LABEL_COLORS[i % LABEL_COLORS.length]),
  };
}

export const THEME: Config = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 12, subtitleFontSize: 12 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    gridColor: '#e6e6e6',
    domainColor: '#888',
    tickColor: '#888',
    // Labels closer than this are thinned out (e.g. "80%100%" on a narrow axis).
    labelSeparation: 4,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold' },
  view: { stroke: null },
};

/** A chart's title, with an optional second line in smaller type. */
export type ChartTitle = string | { readonly text: string; readonly subtitle?: string };

/** What every chart spec starts with: schema, title and the shared look. */
export function specHeader(title: ChartTitle): { $schema: string; title: ChartTitle; config: Config } {
  return { $schema: VEGA_LITE_SCHEMA, title, config: THEME };
}
