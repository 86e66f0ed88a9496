// Writes package.json's `contributes.menus["view/item/context"]` from the action table
// (src/core/topology/topologyActions.ts, compiled by `npx tsc -p .`), one entry a line as the
// rest of the file is written; nothing else in the file changes. The unit test
// test/unit/topology/topologyActions.test.ts fails while the two disagree.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { treeMenus } = require('../out/src/core/topology/topologyActions.js');
const file = new URL('../package.json', import.meta.url);
const text = fs.readFileSync(file, 'utf8');
const block = /("view\/item\/context": \[\n)[\s\S]*?\n(\s*)\]/;
if (!block.test(text)) throw new Error('package.json: no "view/item/context" block found');
const entries = treeMenus().map(
  (entry) => `        ${JSON.stringify(entry).replace(/^\{/, '{ ').replace(/\}$/, ' }').replace(/","/g, '", "').replace(/":"/g, '": "')}`,
);
fs.writeFileSync(
  file,
  text.replace(block, (_, head, indent) => `${head}${entries.join(',\n')}\n${indent}]`),
);
JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(`package.json: ${entries.length} tree menu entries from the action table`);
