// The extension-host test suite's entry point. VS Code loads this module (compiled to
// out/test/vscode/index.js, passed as `extensionTestsPath`) inside the Node extension host,
// with the real `vscode` API and the extension under development loaded, and calls run().
// Runs every out/test/vscode/**/*.test.js with mocha.
//
// The extension host's console reaches the runner (test/support/codeServerSuite.ts) through
// the page's codeAutomationLog hook; the line starting with RESULT_MARKER carries the counts,
// so the runner reports what mocha counted rather than just "it passed".
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export const RESULT_MARKER = 'vscode-suite-result';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

/** Every *.test.js file under a folder, sorted so the order is the same on every machine. */
function testFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(root, file));
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The output goes to the extension host's console and then to a log, not to a terminal.
    color: false,
    reporter: 'spec',
    // Tests here talk to a real Docker daemon and wait for the UI to update.
    timeout: Number(process.env.VSCODE_SUITE_TIMEOUT_MS ?? 20_000),
  });
  // Lets `VSCODE_SUITE_GREP=pattern npm test -- vscode` run part of the suite: the server's
  // environment reaches the extension host.
  if (process.env.VSCODE_SUITE_GREP) mocha.grep(process.env.VSCODE_SUITE_GREP);

  return new Promise<void>((resolve, reject) => {
    const files = testFiles(__dirname);
    if (files.length === 0) {
      // An empty run passing would hide a compile step that produced nothing.
      report({ passed: 0, failed: 1, pending: 0 });
      reject(new Error(`no *.test.js files under ${__dirname}`));
      return;
    }
    for (const file of files) mocha.addFile(file);
    try {
      const runner = mocha.run((failures) => {
        report({ passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 });
        if (failures > 0) reject(new Error(`${failures} test${failures === 1 ? '' : 's'} failed`));
        else resolve();
      });
    } catch (error) {
      // A test file that throws while loading ends up here, before any test ran.
      console.error(error);
      report({ passed: 0, failed: 1, pending: 0 });
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function report(result: SuiteResult): void {
  console.log(`${RESULT_MARKER} ${JSON.stringify(result)}`);
  // Desktop VS Code (test/support/desktopSuite.ts) hands the console to no one: the counts go to a file.
  if (process.env.DNE_SUITE_RESULT_FILE) fs.writeFileSync(process.env.DNE_SUITE_RESULT_FILE, JSON.stringify(result));
}
