import assert from 'node:assert/strict';
import { DOMParser, onWarningStopParsing, type Document } from '@xmldom/xmldom';

/** Parses SVG as strict XML (any warning is an error) and checks that the root is an <svg> element. */
export function parseSvg(svg: string): Document {
  const document = new DOMParser({ onError: onWarningStopParsing }).parseFromString(svg, 'image/svg+xml');
  assert.equal(document.documentElement?.localName, 'svg');
  assert.equal(document.documentElement?.namespaceURI, 'http://www.w3.org/2000/svg');
  return document;
}

/** Every <text> element's text, in document order. */
export function svgTexts(document: Document): string[] {
  return Array.from(document.getElementsByTagName('text')).map((t) => t.textContent ?? '');
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks the PNG signature and returns the size from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE, 'PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** How many items Vega drew for data marks of one type ("rect", "symbol", "rule", "text", "line"). */
export function markItems(document: Document, type: string): number {
  return Array.from(document.getElementsByTagName('g'))
    .filter((g) => (g.getAttribute('class') ?? '').split(' ').includes(`mark-${type}`))
    .filter((g) => (g.getAttribute('class') ?? '').includes('role-mark'))
    .reduce((n, g) => n + Array.from(g.childNodes).filter((c) => c.nodeType === 1).length, 0);
}
