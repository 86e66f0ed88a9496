/**
 * Text from a daemon (names, labels, Docker's own messages: a shared or hostile daemon says what
 * it likes) made safe to show in VS Code's UI, which is not plain text everywhere:
 * - notifications and quick-input prompts/validation turn `[label](command:…)` (also `https:`,
 *   `file:`) into a link that runs the command on click: we break every `](`, so no link forms;
 * - quick-pick labels/descriptions/details and input prompts draw `$(name)` as an icon: escaped
 *   as `\$(name)`, VS Code's own escape, which shows the text as written;
 * - control, bidi-override and zero-width characters (terminal escapes, text that reads
 *   differently than it is) are shown as `\u{…}` rather than acted on or hidden.
 * Pure: no `vscode` import; src/vscode/untrusted.ts applies it at every place text reaches the UI.
 */

/** C0 (but tab and newline) and C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width and BOM. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** For notifications and modal dialogs: no links, no hidden characters. */
export function neutralise(text: string): string {
  return (
    text
      .replace(INVISIBLE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`)
      // VS Code's link syntax needs "](" with nothing between; a space keeps the text readable.
      .replace(/\]\(/g, '] (')
  );
}

/** For quick picks and input boxes, which also draw `$(icon)`: no links, no icons, no hidden characters. */
export function neutraliseWithIcons(text: string): string {
  return neutralise(text).replace(/\$\(/g, '\\$(');
}

/** INVISIBLE, plus newline and carriage return: what must not reach a terminal as it is. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * For one line of a terminal (the CLI's text output): every control character, newline included,
 * shown as `\u{…}`, so `ESC ] 0 ; … BEL` in a network name or a store's answer cannot retitle the
 * terminal, move the cursor or fake a line of output. A backslash stays as it is (paths).
 */
export function escapeForTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/**
 * JSON.stringify, with the characters it leaves raw but a terminal may act on (C1 controls such
 * as U+009B CSI, DEL, bidi overrides, zero-width, U+2028/2029) written as \uXXXX escapes: the
 * same JSON value, safe to print.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
