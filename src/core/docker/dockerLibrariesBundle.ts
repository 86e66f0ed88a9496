/** What dockerLibraries.ts loads on first use: its own bundle, dist/docker.js (tools/build.mjs). */
export { default as Dockerode } from 'dockerode';
export { default as Modem } from 'docker-modem';
