/** `npm run build:wasm`: compiles every `.wat` source of tools/wasm-modules.ts into its TypeScript module. */
import { writeFile } from 'node:fs/promises';
import { expectedModule, REPOSITORY_ROOT, WASM_MODULES } from './wasm-modules.js';

for (const module of WASM_MODULES) {
  await writeFile(new URL(module.generated, `file://${REPOSITORY_ROOT}`), await expectedModule(module));
  console.log(`${module.wat} -> ${module.generated}`);
}
