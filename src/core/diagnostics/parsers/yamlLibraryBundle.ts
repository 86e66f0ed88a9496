/** What yamlLibrary.ts loads on first use: its own bundle, dist/yaml.js (tools/build.mjs). */
export { isMap, isScalar, isSeq, parseDocument } from 'yaml';
