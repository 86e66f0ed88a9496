/**
 * Add Host (any Docker context, or an address with its TLS choice stated explicitly) and Remove
 * Host: both only edit the `dockerNetworkExplorer.hosts` setting; the tree follows the setting.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import { dockerConfigDir, listContextNames, presentTlsFiles } from '../../core/hosts/dockerContexts';
import { parseDockerUrl } from '../../core/hosts/dockerUrl';
import {
  entryDisplayName,
  suggestHostName,
  validateHostName,
  validateHostUrl,
  withoutHost,
  type HostSettingEntry,
} from '../../core/hosts/hostSettings';
import { inputInto, pickInto, runFlow, type FlowStep, type Prompter } from './prompter';
import type { CommandContext } from './runOperation';

const ADD_TITLE = 'Add Docker Host';
type Tls = 'verify' | 'noVerify' | 'plain';

interface AddDraft {
  kind?: 'context' | 'address';
  context?: string;
  url?: string;
  name?: string;
  tls?: Tls;
  certPath?: string;
}

function hostsSetting() {
  return vscode.workspace.getConfiguration('dockerNetworkExplorer');
}

export async function addHost(context: CommandContext): Promise<HostSettingEntry | undefined> {
  const taken = context.registry.hostViews().map(({ host }) => host.name);
  const draft = await runFlow(addSteps(context.prompter, taken), {});
  if (!draft) return undefined;
  // The backstop behind the input boxes' checks: nothing malformed reaches the setting.
  const problem = draft.kind === 'address' ? (validateHostUrl(draft.url ?? '') ?? validateHostName(draft.name ?? '', taken)) : undefined;
  if (problem) throw new Error(`The host was not added: ${problem}`);
  const entry = toEntry(draft);
  const current = hostsSetting().get<unknown[]>('hosts', []);
  await hostsSetting().update('hosts', [...current, entry], vscode.ConfigurationTarget.Global);
  return entry;
}

function addSteps(prompter: Prompter, taken: readonly string[]): Array<FlowStep<AddDraft>> {
  const isTcp = (draft: AddDraft) => draft.kind === 'address' && parseDockerUrl(draft.url ?? '').endpoint?.kind === 'tcp';
  const notAddress = (draft: AddDraft) => draft.kind !== 'address';
  return [
    pickInto(prompter, 'kind', () => ({
      id: 'hostKind',
      title: ADD_TITLE,
      placeholder: 'Where is the daemon?',
      items: [
        { label: 'Docker context', description: 'one of `docker context ls`', value: 'context' as const },
        { label: 'Address', description: 'unix://, tcp:// or ssh://', value: 'address' as const },
      ],
    })),
    pickInto(
      prompter,
      'context',
      () => ({
        id: 'context',
        title: ADD_TITLE,
        placeholder: 'Docker context',
        items: listContextNames(dockerConfigDir(process.env, os.homedir())).map((name) => ({
          label: name,
          value: name,
          description: taken.includes(name) ? 'already shown' : undefined,
        })),
      }),
      (draft) => draft.kind !== 'context',
    ),
    inputInto(
      prompter,
      'url',
      (draft) => ({
        id: 'url',
        title: ADD_TITLE,
        value: draft.url,
        prompt: 'Daemon address',
        placeholder: 'tcp://192.168.77.12:2376, ssh://user@host or unix:///run/docker2.sock',
        validate: validateHostUrl,
      }),
      notAddress,
    ),
    inputInto(
      prompter,
      'name',
      (draft) => ({
        id: 'name',
        title: ADD_TITLE,
        value: draft.name ?? suggestHostName(draft.url ?? ''),
        prompt: 'Name shown in the tree',
        validate: (text) => validateHostName(text, taken),
      }),
      notAddress,
    ),
    pickInto(
      prompter,
      'tls',
      () => ({
        id: 'tls',
        title: ADD_TITLE,
        placeholder: 'How is the connection protected?',
        items: [
          { label: 'TLS, verify the daemon certificate', description: 'ca.pem, cert.pem, key.pem', value: 'verify' as const },
          {
            label: 'TLS without verifying the certificate',
            description: 'anyone on the path can impersonate the daemon',
            value: 'noVerify' as const,
          },
          { label: 'Plain TCP, unencrypted', description: 'anyone who reaches the port is root on that host', value: 'plain' as const },
        ],
      }),
      (draft) => !isTcp(draft),
    ),
    inputInto(
      prompter,
      'certPath',
      (draft) => ({
        id: 'certPath',
        title: ADD_TITLE,
        value: draft.certPath ?? process.env.DOCKER_CERT_PATH ?? path.join(os.homedir(), '.docker'),
        prompt: 'Folder with ca.pem, cert.pem and key.pem (as DOCKER_CERT_PATH)',
        validate: (text) => missingTlsFiles(text, draft.tls === 'verify'),
      }),
      (draft) => !isTcp(draft) || draft.tls === 'plain',
    ),
  ];
}

function missingTlsFiles(folder: string, needCa: boolean): string | undefined {
  const files = presentTlsFiles(folder.trim());
  const missing = [needCa && !files.ca && 'ca.pem', !files.cert && 'cert.pem', !files.key && 'key.pem'].filter(Boolean);
  return missing.length ? `${missing.join(', ')} not found in ${folder.trim()}` : undefined;
}

function toEntry(draft: AddDraft): HostSettingEntry {
  if (draft.kind === 'context') return { context: draft.context ?? 'default' };
  const entry: HostSettingEntry = { name: draft.name ?? '', url: draft.url ?? '' };
  if (draft.tls && draft.tls !== 'plain') Object.assign(entry, { tlsCertPath: draft.certPath, tlsVerify: draft.tls === 'verify' });
  return entry;
}

/** Removes a host that came from the setting, from whichever settings scope holds it. */
export async function removeHost(context: CommandContext, target?: CommandTarget): Promise<string | undefined> {
  const removable = context.registry
    .hostViews()
    .filter(({ host }) => host.source === 'setting')
    .map(({ host }) => host);
  const hostId = target?.on === 'host' ? target.hostId : undefined;
  const host = hostId !== undefined ? removable.find((candidate) => candidate.id === hostId) : await pickHost(context.prompter, removable);
  if (!host) {
    if (hostId !== undefined)
      throw new Error(
        'Only hosts added in the dockerNetworkExplorer.hosts setting can be removed; the others come from DOCKER_HOST or the Docker context.',
      );
    return undefined;
  }
  const choice = await context.prompter.confirm({
    id: 'confirm',
    message: `Remove host "${host.name}" from the Docker Networks view?`,
    detail: `Only the dockerNetworkExplorer.hosts setting changes; the daemon at ${host.url} and its networks are not touched.`,
    choices: ['Remove'],
  });
  if (choice !== 'Remove') return undefined;
  const inspected = hostsSetting().inspect<unknown[]>('hosts');
  const scopes = [
    [vscode.ConfigurationTarget.Global, inspected?.globalValue],
    [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue],
    [vscode.ConfigurationTarget.WorkspaceFolder, inspected?.workspaceFolderValue],
  ] as const;
  for (const [target, entries] of scopes) {
    if (entries?.some((entry) => entryDisplayName(entry) === host.name)) {
      await hostsSetting().update('hosts', withoutHost(entries, host.name), target);
    }
  }
  return host.name;
}

async function pickHost(prompter: Prompter, hosts: ReadonlyArray<{ id: string; name: string; url: string }>) {
  if (hosts.length === 0) throw new Error('No host was added in the dockerNetworkExplorer.hosts setting: there is nothing to remove.');
  const chosen = await prompter.pick({
    id: 'host',
    title: 'Remove Docker Host',
    placeholder: 'Host to remove from the view',
    items: hosts.map((host) => ({ label: host.name, description: host.url, value: host })),
  });
  return typeof chosen === 'object' ? chosen : undefined;
}
