/** What `npm start` prints when VS Code is up (tools/startBanner.mjs). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { importTool } from '../../support/toolModule';

type Banner = (run: Record<string, unknown>) => string;
const load = () => importTool<{ startBanner: Banner }>(path.resolve(__dirname, '../../../..'), 'startBanner.mjs');

const run = {
  url: 'http://127.0.0.1:8090/?folder=/w',
  origin: 'http://127.0.0.1:8090',
  workspaceFolder: '/w',
  extensionFolder: '/r/extensions/docker-network-explorer.docker-network-explorer-0.1.0',
  logFile: '/r/code-server.log',
  port: 8090,
  watch: false,
  codeServerVersion: '4.96.4',
};

describe('the npm start banner', () => {
  it('prints each lab host with its socket when the lab was brought up', async () => {
    const { startBanner } = await load();
    const text = startBanner({
      ...run,
      labHosts: [
        { name: 'docker1', url: 'unix:///run/dnelab/docker1/docker.sock' },
        { name: 'docker2', url: 'unix:///run/dnelab/docker2/docker.sock' },
      ],
    });
    assert.match(
      text,
      /^ {2}docker1 +unix:\/\/\/run\/dnelab\/docker1\/docker\.sock +docker -H unix:\/\/\/run\/dnelab\/docker1\/docker\.sock ps$/m,
    );
    assert.match(text, /^ {2}docker2 +unix:\/\/\/run\/dnelab\/docker2\/docker\.sock /m);
    assert.match(text, /sudo npm run lab -- down/);
  });

  it('says how to open another folder, and nothing of a lab when there is none', async () => {
    const { startBanner } = await load();
    const text = startBanner(run);
    assert.match(text, /^ {2}http:\/\/127\.0\.0\.1:8090\/\?folder=\/w$/m);
    assert.match(text, /File > Open Folder…, or http:\/\/127\.0\.0\.1:8090\/\?folder=\/path\/to\/folder/);
    assert.doesNotMatch(text, /lab/);
  });
});
