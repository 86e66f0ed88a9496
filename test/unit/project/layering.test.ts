// The layering rules of eslint.config.mjs catch what they are there for: each case is one import a
// file of that folder could write, linted as if it stood there.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const repo = path.resolve(__dirname, '../../../..');
const eslint = new ESLint({ cwd: repo });

/** The rule ids of what ESLint reports for `code` placed at `file`. */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('layering, as eslint.config.mjs checks it', () => {
  it('lets a folder import a lower layer', async () => {
    assert.deepEqual(await problems('src/core/explorer/x.ts', "export type { HostSnapshot } from '../model/snapshot';\n"), []);
    assert.deepEqual(await problems('src/core/docker/x.ts', "export { DockerClient } from './dockerClient';\n"), []);
  });

  it('refuses an import of a higher layer', async () => {
    const [problem, ...rest] = await problems('src/core/model/x.ts', "export type { RawNetwork } from '../docker/dockerClient';\n");
    assert.deepEqual(rest, []);
    assert.match(problem, /^layers\/layer-order: src\/core\/model \(layer 1\) must not import src\/core\/docker \(layer 4\)/);
  });

  it('refuses an import between folders of one layer: topology/ never imports explorer/', async () => {
    const [problem] = await problems('src/core/topology/x.ts', "export { buildExplorerTree } from '../explorer/explorerTree';\n");
    assert.match(problem, /^layers\/layer-order: src\/core\/topology must not import src\/core\/explorer: both are on layer 6/);
  });

  it('refuses the core an import of vscode, and of the VS Code layer', async () => {
    assert.match((await problems('src/core/hosts/x.ts', "export * from 'vscode';\n"))[0], /^no-restricted-imports: .*vscode/);
    assert.match(
      (await problems('src/core/hosts/x.ts', "export * from '../../vscode/settings';\n"))[0],
      /^layers\/layer-order: .* must not import src\/vscode/,
    );
  });

  it('asks a new folder of src/ to be placed on a layer before anything else', async () => {
    const [problem, ...rest] = await problems('src/core/newFolder/x.ts', "export type { HostSnapshot } from '../model/snapshot';\n");
    assert.deepEqual(rest, []);
    assert.match(problem, /^layers\/layer-order: src\/core\/newFolder\/x\.ts stands on no layer/);
  });

  it('lets the webview import the protocol and element types, and nothing else of src/ and no Node module', async () => {
    assert.deepEqual(await problems('webview/x.ts', "export type { WebviewToHost } from '../src/core/topology/protocol';\n"), []);
    const [model] = await problems('webview/x.ts', "export { buildTopology } from '../src/core/topology/topologyModel';\n");
    assert.match(model, /^layers\/layer-order: src\/core\/topology\/topologyModel is not among what webview may import/);
    assert.match(
      (await problems('webview/x.ts', "export { readFileSync } from 'node:fs';\n"))[0],
      /^no-restricted-imports: .*no Node modules/,
    );
  });

  it('keeps what the webview compiles of the core free of the model', async () => {
    const [problem] = await problems('src/core/topology/protocol.ts', "export type { HostView } from '../docker/hostMonitor';\n");
    assert.match(problem, /^layers\/layer-order: src\/core\/docker\/hostMonitor is not among what/);
  });
});
