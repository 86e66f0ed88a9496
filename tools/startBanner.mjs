// What `npm start` prints once VS Code is up (a module of its own so a test can read it).

/**
 * @param {object} run
 * @param {string} run.url the workbench on the start folder
 * @param {string} run.origin http://127.0.0.1:PORT
 * @param {string} run.workspaceFolder
 * @param {string} run.extensionFolder where the extension was installed
 * @param {string} run.logFile
 * @param {number} run.port
 * @param {boolean} run.watch
 * @param {string} run.codeServerVersion
 * @param {Array<{ name: string, url: string }>} [run.labHosts] the lab's hosts, when it was brought up
 * @returns {string}
 */
export function startBanner(run) {
  const lab = run.labHosts?.length
    ? `
The three-host lab's Docker hosts (in the dockerNetworkExplorer.hosts setting, besides the default daemon):
${run.labHosts.map((host) => `  ${host.name.padEnd(8)} ${host.url}      docker -H ${host.url} ps`).join('\n')}
It stays up after Ctrl-C; \`sudo npm run lab -- down\` removes it.
`
    : '';
  return `
Docker Network Explorer is running in VS Code (code-server ${run.codeServerVersion}, VS Code 1.96.4).
Open this URL in a browser:

  ${run.url}

The extension is installed in this VS Code (${run.extensionFolder}), so it is there whatever folder
you open: File > Open Folder…, or ${run.origin}/?folder=/path/to/folder
${lab}
Workspace: ${run.workspaceFolder}
Logs:      ${run.logFile}
After a rebuild${run.watch ? ' (automatic with --watch)' : ' (npm run build)'}, run "Developer: Reload Window" in VS Code.
The server listens on 127.0.0.1 only; from another machine use an SSH tunnel: ssh -L ${run.port}:127.0.0.1:${run.port} HOST
Press Ctrl-C to stop.
`;
}
