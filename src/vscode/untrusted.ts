/**
 * The one way our text reaches VS Code's notifications, dialogs and quick inputs: messages carry
 * names and words of Docker daemons, which may be shared or hostile, and VS Code renders links
 * (`[x](command:…)` runs a command on click) and icons in those places. Everything shown goes
 * through core/util/untrustedText first; a unit test keeps `vscode.window.show*Message` out of
 * every other file. Tree rows need nothing: their labels and tooltips are plain strings (a
 * MarkdownString tooltip would need the same care).
 */
import * as vscode from 'vscode';
import { neutralise, neutraliseWithIcons } from '../core/util/untrustedText';

type Level = 'error' | 'warning' | 'information';

const SHOW = {
  error: (message: string, options: vscode.MessageOptions, items: string[]) => vscode.window.showErrorMessage(message, options, ...items),
  warning: (message: string, options: vscode.MessageOptions, items: string[]) =>
    vscode.window.showWarningMessage(message, options, ...items),
  information: (message: string, options: vscode.MessageOptions, items: string[]) =>
    vscode.window.showInformationMessage(message, options, ...items),
};

/** A notification (or, with `modal`, a dialog); resolves to the button chosen, as VS Code's. */
export function notify(
  level: Level,
  message: string,
  options: vscode.MessageOptions = {},
  ...items: string[]
): Thenable<string | undefined> {
  const detail = options.detail === undefined ? undefined : neutralise(options.detail);
  return SHOW[level](neutralise(message), { ...options, detail }, items);
}

/** A quick-pick item's texts, which VS Code draws with icons. */
export function pickTexts<T extends { label: string; description?: string; detail?: string }>(item: T): T {
  return {
    ...item,
    label: neutraliseWithIcons(item.label),
    description: item.description === undefined ? undefined : neutraliseWithIcons(item.description),
    detail: item.detail === undefined ? undefined : neutraliseWithIcons(item.detail),
  };
}

/** An input box's prompt or validation message, which VS Code draws with links and icons. */
export function inputText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : neutraliseWithIcons(text);
}

/** A progress notification's title, which VS Code parses for links like a notification. */
export function progressTitle(text: string): string {
  return neutralise(text);
}

/** A status bar text, which draws icons: `icon` is ours, `text` is escaped. */
export function statusText(icon: string, text: string): string {
  return `$(${icon}) ${neutraliseWithIcons(text)}`;
}
