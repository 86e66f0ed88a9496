/**
 * TEST ONLY: the extension-host tests' hooks. Bundled on its own (dist/testApi.js, which the
 * .vsix does not ship) and loaded by activate() only when the test runners ask for it
 * (loadTestApi.ts); so it imports nothing at run time but the scripted prompter.
 */
import type * as vscode from 'vscode';
import type { ExplorerNode, ExplorerView } from '../core/explorer/explorerTree';
import type { HostRegistry } from '../core/docker/hostRegistry';
import type { NetworkCommands } from './commands/networkCommands';
import { ScriptedPrompter, type ScriptedAnswers } from './commands/scriptedPrompter';
import type { ExplorerTreeProvider } from './tree/explorerTreeProvider';

/** A tree row as VS Code receives it (label/description/tooltip/contextValue), with children. */
export interface RenderedRow {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  children: RenderedRow[];
}

/**
 * What `activate` returns: lets the extension-host tests read the trees through the same
 * `getTreeItem` VS Code calls, and wait for event-driven changes. Not a public API.
 */
export interface ExtensionTestApi {
  render(view: ExplorerView): RenderedRow[];
  /** Resolves when `predicate` holds for the rendered view, re-checked after every change. */
  waitFor(view: ExplorerView, predicate: (rows: RenderedRow[]) => boolean, timeoutMs: number): Promise<RenderedRow[]>;
  hostStates(): Array<{ hostId: string; name: string; state: string; reason?: string }>;
  /** The node behind a row, to pass to commands as a context menu would. */
  node(view: ExplorerView, id: string): ExplorerNode | undefined;
  /**
   * The network commands answer from `answers` instead of showing input boxes, until the
   * returned prompter (which records what the user would have seen) is disposed.
   */
  scriptPrompts(answers: ScriptedAnswers): ScriptedPrompter & vscode.Disposable;
}

/** What the test API reads and drives: the extension's own objects, as activate() made them. */
export interface TestApiParts {
  providers: Record<ExplorerView, ExplorerTreeProvider>;
  registry: HostRegistry;
  networkCommands: NetworkCommands;
}

export function createTestApi({ providers, registry, networkCommands }: TestApiParts): ExtensionTestApi {
  // Reading the trees stands for a user looking at them: the hosts are followed from then on.
  const render = (view: ExplorerView) => {
    registry.follow();
    return renderRows(providers[view], providers[view].getChildren());
  };
  return {
    render,
    waitFor(view, predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        let subscription: vscode.Disposable | undefined;
        const check = () => {
          const rows = render(view);
          if (!predicate(rows)) return false;
          clearTimeout(timer);
          subscription?.dispose();
          resolve(rows);
          return true;
        };
        const timer = setTimeout(() => {
          subscription?.dispose();
          reject(new Error(`waitFor(${view}) timed out after ${timeoutMs} ms; tree was:\n${JSON.stringify(render(view), null, 1)}`));
        }, timeoutMs);
        if (!check()) subscription = providers[view].onDidRebuild(check);
      });
    },
    node: (view, id) => providers[view].nodeById(id),
    scriptPrompts(answers) {
      const scripted = new ScriptedPrompter(answers);
      const installed = networkCommands.usePrompter(scripted);
      return Object.assign(scripted, { dispose: () => installed.dispose() });
    },
    hostStates: () => {
      registry.follow();
      return registry.hostViews().map(({ host, state }) => ({
        hostId: host.id,
        name: host.name,
        state: state.kind,
        reason: 'reason' in state ? state.reason : undefined,
      }));
    },
  };
}

function renderRows(provider: ExplorerTreeProvider, nodes: readonly ExplorerNode[]): RenderedRow[] {
  return nodes.map((node) => {
    const item = provider.getTreeItem(node);
    return {
      id: item.id ?? node.id,
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      description: typeof item.description === 'string' ? item.description : '',
      tooltip: typeof item.tooltip === 'string' ? item.tooltip : '',
      contextValue: item.contextValue ?? '',
      children: renderRows(provider, provider.getChildren(node)),
    };
  });
}
