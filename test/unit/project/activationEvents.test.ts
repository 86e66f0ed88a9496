/**
 * package.json's activationEvents, each with the reason it is there (package.json holds no
 * comments, so the reasons live here and this test keeps the two lists equal). The views, the
 * commands and the topology panel need no event of ours: VS Code activates on them by itself.
 * A language-wide event wakes the extension for every file of that language, so one stays only
 * when a Docker file of that language can be opened from where no other event sees it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const WHY: Record<string, string> = {
  'onWebviewPanel:dockerNetworkExplorer.topology': 'restores a topology panel left open when the window reloads (its serializer)',
  // Language-wide, kept:
  'onLanguage:json':
    '/etc/docker/daemon.json opened from the file menu or `code /etc/docker/daemon.json`: outside any workspace, and VS Code has no activation event by file name; the activation it costs other JSON files is one bundle of ~340 KB (as shipped) and a name test per file (README, Speed: activation)',
  'onLanguage:properties':
    'systemd drop-ins (/etc/systemd/system/docker.service.d/*.conf), which VS Code gives this language, opened from outside the workspace as above',
  'onLanguage:dockercompose':
    "compose files by name (VS Code's own compose.y(a)ml / *docker*compose*.y(a)ml patterns): only Docker's files have this language",
  // By file name inside the workspace: VS Code searches for these once when the folder opens.
  'workspaceContains:**/{daemon.json,docker.service,docker.socket,docker-compose.yml,docker-compose.yaml,compose.yml,compose.yaml}':
    "a workspace holding a Docker host's files or compose files",
  'workspaceContains:**/{docker.service.d,docker.socket.d}/*.conf': "a copy of a host's unit drop-ins",
  'workspaceContains:**/etc/{sysconfig,default}/docker':
    "a copy of a host's env files (plain text to VS Code: no language event reaches them)",
};

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: Array<{ command: string }>; views: Record<string, Array<{ id: string }>> };
};

test('every activation event is one the table above justifies, and every justified one is there', () => {
  assert.deepEqual([...manifest.activationEvents].sort(), Object.keys(WHY).sort());
});

test('no language-wide event for languages most files of which are not Docker’s (jsonc, yaml, ini, shellscript, plaintext)', () => {
  for (const language of ['jsonc', 'yaml', 'ini', 'shellscript', 'plaintext', '*']) {
    assert.ok(!manifest.activationEvents.includes(`onLanguage:${language}`), `onLanguage:${language}`);
  }
  assert.ok(!manifest.activationEvents.includes('*') && !manifest.activationEvents.includes('onStartupFinished'));
});

test('views and commands are not listed: VS Code activates on them itself (engines ^1.74+)', () => {
  const ids = [
    ...manifest.contributes.commands.map((entry) => `onCommand:${entry.command}`),
    ...Object.values(manifest.contributes.views)
      .flat()
      .map((view) => `onView:${view.id}`),
  ];
  assert.deepEqual(
    manifest.activationEvents.filter((event) => ids.includes(event)),
    [],
  );
});
