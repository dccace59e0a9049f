/**
 * How wide a line of chart text is, for Vega's layout. Without a canvas Vega guesses 0.8 em a character,
 * much wider than real text, and charts came out with wide empty margins beside their titles and legends.
 * This measures with the advance widths of DejaVu Sans, the font the PNGs are drawn with (see render.ts);
 * a browser drawing the SVG with another sans-serif font gets text of about the same width.
 */

/** Advance widths of DejaVu Sans for the characters 32 (space) to 126 (~), in thousandths of an em. */
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/** The same for DejaVu Sans Bold. */
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/** Any other character: about the width of a lower-case letter. */
const OTHER = 620;

/** The parts of a Vega text item that decide its width. */
export interface TextItem {
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
  /** Longest width in pixels before Vega cuts the text with an ellipsis. */
  readonly limit?: number;
}

/** Width in pixels of `text` drawn as `item` says, at most its `limit`; Vega's default size is 11 px. */
export function textWidth(item: TextItem, text: unknown): number {
  const line = text == null ? '' : String(text).trim();
  const size = item.fontSize ?? 11;
  const weight = item.fontWeight;
  const table = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600 ? BOLD : REGULAR;
  let thousandths = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    thousandths += code >= 32 && code <= 126 ? table[code - 32] : OTHER;
  }
  const width = (thousandths * size) / 1000;
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}
