import * as vscode from 'vscode';

export const INSPECT_SCHEME = 'docker-inspect';

/**
 * Serves `docker network inspect` / `docker container inspect` JSON as read-only documents.
 * Content is kept per URI so reopening is instant; an inspect again refreshes it.
 */
export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This inspect result is no longer available: run Inspect again.';
  }

  /** Opens (or refreshes) a read-only JSON editor for `value`. */
  async show(hostName: string, kind: 'network' | 'container', name: string, value: unknown): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({
      scheme: INSPECT_SCHEME,
      path: `/${encodeURIComponent(hostName)}/${kind}/${encodeURIComponent(name)}.json`,
    });
    this.contents.set(uri.toString(), JSON.stringify(value, null, 2));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
