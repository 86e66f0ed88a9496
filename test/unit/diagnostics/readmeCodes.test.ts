import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { Codes } from '../../../src/core/diagnostics/codes';

// Every finding links its code to README.md#<code> (Problems panel): each must have its anchor.
it('every finding code has its anchor and line in the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const missing = Object.values(Codes).filter((code) => !readme.includes(`<a id="${code.toLowerCase()}"></a>${code} |`));
  assert.deepEqual(missing, []);
});
