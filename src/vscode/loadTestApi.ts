/**
 * The extension-host test runners (code-server's and desktop VS Code's) set DNE_EXTENSION_TESTS=1;
 * then activate() returns the test API. It lives in dist/testApi.js, a bundle of its own that
 * the .vsix does not ship (.vscodeignore), so the production bundle holds no test hooks.
 */
import * as path from 'node:path';
import type { ExtensionTestApi, TestApiParts } from './testApi';

export const TEST_API_ENV = 'DNE_EXTENSION_TESTS';

export function loadTestApi(parts: TestApiParts): ExtensionTestApi | undefined {
  if (process.env[TEST_API_ENV] !== '1') return undefined;
  // A path esbuild cannot follow: the test hooks stay out of dist/extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path on purpose (see above)
  const testApi = require(path.join(__dirname, 'testApi.js')) as typeof import('./testApi');
  return testApi.createTestApi(parts);
}
