/** Offers the core's certain fixes (QuickFix.edits, on the finding's own file) as code actions. */
import * as vscode from 'vscode';
import type { ConfigDiagnostics } from './configDiagnostics';
import { toRange } from './toDiagnostic';

export class ConfigQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: ConfigDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only)) return [];
    return this.diagnostics.fixesFor(document, context.diagnostics).map(({ diagnostic, fix }) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      // The core offers a fix only when it is certain of it.
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
      return action;
    });
  }
}
