// The extension-host side of `npm run bench -- activation --code-server`: loaded by a fresh
// code-server as the "tests" module, it opens a plain package.json (which activates the
// extension through onLanguage:json), reads VS Code's Startup Performance row for the extension
// and prints it, then the result line the runner (test/support/codeServerSuite.ts) waits for.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../test/support/extensionUnderTest';
import { startupPerformanceRow, until } from '../../test/support/startupPerformance';

export const ROW_MARKER = 'activation-bench-row';

export async function run(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-activation-bench-'));
  let failed = 0;
  try {
    const file = path.join(folder, 'package.json');
    fs.writeFileSync(file, `${JSON.stringify({ name: 'app', version: '1.0.0' }, null, 2)}\n`);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    if (!(await until(() => extension.isActive, 15_000))) throw new Error('package.json did not activate the extension');
    const dist = path.join(extension.extensionPath, 'dist');
    const loaded = Object.keys(require.cache)
      .filter((file) => path.dirname(file) === dist)
      .map((file) => path.basename(file));
    console.log(`${ROW_MARKER} ${JSON.stringify({ ...(await startupPerformanceRow()), loaded })}`);
  } catch (error) {
    failed = 1;
    console.error(error);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  console.log(`vscode-suite-result ${JSON.stringify({ passed: 1 - failed, failed, pending: 0 })}`);
  if (failed) throw new Error('activation measurement failed');
}
