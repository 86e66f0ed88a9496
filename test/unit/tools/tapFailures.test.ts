/** What CI's tail says about a failed test (tools/lib/tapFailures.mjs), from TAP as node:test writes it. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { importTool } from '../../support/toolModule';

interface Failure {
  name: string;
  location: string;
  error: string;
  thrownAt: string[];
  diagnostics: string[];
}
type TapFailures = (tap: string, maxErrorLines?: number) => Failure[];
const load = async () =>
  (await importTool<{ tapFailures: TapFailures }>(path.resolve(__dirname, '../../../..'), 'lib/tapFailures.mjs')).tapFailures;

const THROWN = `TAP version 13
# Subtest: fails deep
not ok 1 - fails deep
  ---
  duration_ms: 1.54445
  location: '/w/out/test/a.test.js:4:1'
  failureType: 'testCodeFailure'
  error: '(HTTP code 404) no such container - network x not found'
  code: 'ERR_TEST_FAILURE'
  stack: |-
    inner (file:///w/out/test/a.test.js:3:40)
    process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    TestContext.<anonymous> (file:///w/out/test/a.test.js:4:58)
    Test.run (node:internal/test_runner/test:796:25)
    async Promise.all (index 0)
    x (/w/node_modules/docker-modem/lib/modem.js:1:1)
  ...
# seed 42
# Subtest: passes
ok 2 - passes
  ---
  duration_ms: 1
  ...
# tests 2
`;

const diffTap = (context: number) => `TAP version 13
    not ok 1 - compares
      ---
      location: '/w/out/test/b.test.js:5:1'
      failureType: 'testCodeFailure'
      error: |-
        Networks view
        + actual - expected

          [
${Array.from({ length: context }, (_, i) => `            ${i},`).join('\n')}
        +   'storm-c1'
        -   'storm-c2'
          ]
      code: 'ERR_ASSERTION'
      ...
    # seed 7 (DNE_STORM_SEED=7 replays it)
    # Subtest: next
`;

describe('tapFailures', () => {
  it('says where in our code an error was thrown and what the test printed after it', async () => {
    const [failure, ...rest] = (await load())(THROWN);
    assert.deepEqual(rest, []);
    assert.deepEqual(failure, {
      name: 'fails deep',
      location: '/w/out/test/a.test.js:4:1',
      error: '(HTTP code 404) no such container - network x not found',
      thrownAt: ['inner (file:///w/out/test/a.test.js:3:40)', 'TestContext.<anonymous> (file:///w/out/test/a.test.js:4:58)'],
      diagnostics: ['seed 42'],
    });
  });

  it('keeps the changed lines of a long diff, which its context would push past the cut', async () => {
    const [failure] = (await load())(diffTap(40), 8);
    assert.deepEqual(failure.error.split('\n'), ['Networks view', '+ actual - expected', "+   'storm-c1'", "-   'storm-c2'", '…']);
    assert.deepEqual(failure.diagnostics, ['seed 7 (DNE_STORM_SEED=7 replays it)']);
  });

  it('keeps a short error whole, context and all', async () => {
    const [failure] = (await load())(diffTap(2), 16);
    assert.equal(failure.error.split('\n').length, 8);
  });
});
