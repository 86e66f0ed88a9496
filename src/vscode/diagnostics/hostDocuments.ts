/**
 * A read-only page per Docker host, to carry the live findings that concern the daemon itself
 * (it does not answer, its store differs across hosts…) rather than a line of its files: a
 * diagnostic needs a document, and a host URL is not one. The Problems panel lists them under
 * "Docker host <name>"; clicking one opens this page, which says what the host is.
 */
import * as vscode from 'vscode';

export const HOST_SCHEME = 'docker-network-explorer-host';

export class HostDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pages = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(HOST_SCHEME, this);

  /** The page of a host, (re)written with its name and address. */
  uriFor(host: { name: string; url: string }): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: HOST_SCHEME, path: `/Docker host ${host.name}` });
    const text =
      `Docker host "${host.name}" at ${host.url}\n\n` +
      'Problems found by the last "Docker Networks: Scan Host Configuration" that concern this daemon\n' +
      'itself, not a line of its configuration files, are shown on line 1 of this page.\n';
    if (this.pages.get(uri.toString()) !== text) {
      this.pages.set(uri.toString(), text);
      this.changed.fire(uri);
    }
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? 'Run "Docker Networks: Scan Host Configuration" again.';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
