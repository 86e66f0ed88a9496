/**
 * What dockerLibraries.ts loads on first use: its own bundle, dist/docker.js (tools/build.mjs).
 * The answer schemas come along: zod is needed only once a daemon answers.
 */
export { default as Dockerode } from 'dockerode';
export { default as Modem } from 'docker-modem';
export * as answers from './responseSchemas';
