/**
 * The web page's files, read once at start-up from `public/` beside this module (the build copies
 * `src/serve/public` to `dist/serve/public`) and served from memory. Three files do not need a
 * static-file plugin, and reading them up front means a missing file stops start-up, not a visitor.
 */
import { readFile } from 'node:fs/promises';
import { PolarityError } from '../errors.js';

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** URL path → file name under public/. */
const PAGE_FILES: Readonly<Record<string, { file: string; contentType: string }>> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', contentType: 'text/css; charset=utf-8' },
};

export const PUBLIC_DIRECTORY = new URL('./public/', import.meta.url);

export async function loadPageFiles(directory: URL = PUBLIC_DIRECTORY): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const [path, { file, contentType }] of Object.entries(PAGE_FILES)) {
    const url = new URL(file, directory);
    try {
      files.set(path, { body: await readFile(url), contentType });
    } catch {
      throw new PolarityError(
        `${url.pathname}: a file of the web page is missing; was the package built with \`npm run build\`?`,
      );
    }
  }
  return files;
}
