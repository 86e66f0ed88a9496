import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { topologyPage } from './topologyPage';

/** The panel's page (topologyPage.ts) with this webview's resource URIs and a fresh nonce. */
export function topologyHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return topologyPage({
    nonce: randomBytes(16).toString('base64'),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'topology.css')).toString(),
  });
}
