/**
 * The YAML parser, loaded the first time a compose file is parsed (its own bundle, dist/yaml.js:
 * see tools/build.mjs): the extension activates for JSON and YAML files that are mostly not
 * Docker's, and loading it would cost them all.
 */
import type * as Library from './yamlLibraryBundle';

let loaded: typeof Library | undefined;

export function yamlLibrary(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (loaded ??= require('./yamlLibraryBundle') as typeof Library);
}
