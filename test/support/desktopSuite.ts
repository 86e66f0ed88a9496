// Runs the extension-host mocha suite (test/vscode/index.ts) in desktop VS Code through
// @vscode/test-electron — the same suite `npm test -- vscode` runs in code-server's extension
// host. The VS Code to run: $VSCODE_EXECUTABLE, else VS Code DESKTOP_VERSION downloaded into
// <repo>/.vscode-test (needs update.code.visualstudio.com). Where neither can be had it fails
// within seconds with what to do, instead of waiting on a download that never comes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

/** The VS Code the extension-host suite runs on in code-server too (tools/codeServer/install.mjs). */
export const DESKTOP_VERSION = '1.96.4';
/** No byte from the download server for this long: give up (test-electron's idle timeout). */
const DOWNLOAD_IDLE_MS = 10_000;
/** And the whole attempt to get VS Code, in case a proxy holds the connection open. */
const DOWNLOAD_LIMIT_MS = 30_000;

export interface DesktopSuiteOptions {
  repo: string;
  /** Default: $VSCODE_EXECUTABLE, else a download. */
  executable?: string;
  log?: (line: string) => void;
}

export interface DesktopSuiteResult {
  passed: number;
  failed: number;
  pending: number;
  exitCode: number;
}

/** Throws (with what to do) when VS Code cannot be had or the suite did not run. */
export async function runDesktopSuite(options: DesktopSuiteOptions): Promise<DesktopSuiteResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const extensionTestsPath = path.join(options.repo, 'out', 'test', 'vscode');
  if (!fs.existsSync(path.join(extensionTestsPath, 'index.js')))
    throw new Error(`${extensionTestsPath}/index.js does not exist: compile the tests first (npx tsc -p .)`);
  const vscodeExecutablePath = await desktopExecutable(options.repo, options.executable ?? process.env.VSCODE_EXECUTABLE, log);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-desktop-suite-'));
  const resultFile = path.join(runDir, 'result.json');
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace);
  try {
    log(`[desktop-suite] ${vscodeExecutablePath} (run folder ${runDir})`);
    const exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: options.repo,
      extensionTestsPath,
      // DNE_EXTENSION_TESTS: activate() returns the test API; the suite writes its counts to the file.
      extensionTestsEnv: { DNE_EXTENSION_TESTS: '1', DNE_SUITE_RESULT_FILE: resultFile },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
        // Electron refuses to run as root without it.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
    if (!fs.existsSync(resultFile))
      throw new Error(`desktop VS Code exited with ${exitCode} before the suite reported its counts (see the output above)`);
    const counts = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Omit<DesktopSuiteResult, 'exitCode'>;
    return { ...counts, exitCode };
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function desktopExecutable(repo: string, given: string | undefined, log: (line: string) => void): Promise<string> {
  if (given) {
    if (!fs.existsSync(given))
      throw new Error(
        `VSCODE_EXECUTABLE is ${given}, which does not exist: point it at a desktop VS Code ${DESKTOP_VERSION} or later (its \`code\` binary)`,
      );
    return given;
  }
  log(`[desktop-suite] no VSCODE_EXECUTABLE: getting VS Code ${DESKTOP_VERSION} into .vscode-test/ (once)`);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no VS Code after ${DOWNLOAD_LIMIT_MS / 1000} s`)), DOWNLOAD_LIMIT_MS);
  });
  try {
    const download = downloadAndUnzipVSCode({
      version: DESKTOP_VERSION,
      cachePath: path.join(repo, '.vscode-test'),
      timeout: DOWNLOAD_IDLE_MS,
    });
    return await Promise.race([download, limit]);
  } catch (error) {
    throw new Error(
      `desktop VS Code ${DESKTOP_VERSION} could not be downloaded from update.code.visualstudio.com ` +
        `(${error instanceof Error ? error.message : String(error)}). Set VSCODE_EXECUTABLE to an installed VS Code's \`code\` binary, ` +
        'or run where that server can be reached.',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}
