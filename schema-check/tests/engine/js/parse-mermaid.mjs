// Parses every ```mermaid block of a Markdown file with Mermaid's own parser.
// Usage: node parse-mermaid.mjs FILE (mermaid and jsdom resolvable from here).
// Prints "ok <diagram type>" or "error <message>" per block; exits 1 on any error.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const text = readFileSync(process.argv[2], 'utf8');
let blocks = 0;
let failed = 0;
for (const match of text.matchAll(/```mermaid\r?\n([\s\S]*?)```/g)) {
  blocks++;
  try {
    const result = await mermaid.parse(match[1]);
    console.log('ok', result.diagramType);
  } catch (error) {
    failed++;
    console.log('error', String((error && error.message) || error).replace(/\s+/g, ' '));
  }
}
if (blocks === 0) {
  console.log('error no mermaid block');
  failed++;
}
process.exit(failed ? 1 : 0);
