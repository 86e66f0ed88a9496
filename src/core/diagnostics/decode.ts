/**
 * A configuration file's bytes as text. Editors on Windows save UTF-16 with a byte-order mark
 * (Notepad's "Unicode"): read as UTF-8 that is a NUL after every character, which no parser
 * recognised, so a broken compose file silently passed. With its mark it is decoded and checked;
 * text that still holds NUL characters (UTF-16 without a mark, or no text at all) is named as
 * not checked (unreadableFinding), never parsed as if it were empty.
 */
import { wholeFileFinding, type Finding } from './finding';
import { Codes } from './codes';

/** UTF-16 (LE or BE) by its byte-order mark, else UTF-8 with its mark, if any, kept (rules about it need it). */
export function decodeConfigBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
}

/** Real configuration text has no NUL: one means UTF-16 without its mark, or a binary file. */
export function unreadableFinding(file: string, text: string): Finding | undefined {
  const nul = text.indexOf('\u0000');
  if (nul < 0) return undefined;
  const nuls = countNuls(text);
  const utf16 = nuls * 3 >= text.length;
  return wholeFileFinding(
    file,
    'warning',
    Codes.fileNotChecked,
    `Not checked: the file holds ${nuls} NUL character${nuls === 1 ? '' : 's'}, ` +
      (utf16 ? 'so it looks like UTF-16 saved without a byte-order mark. Save it as UTF-8.' : 'so it is not a text configuration file.'),
  );
}

function countNuls(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\u0000'); i >= 0; i = text.indexOf('\u0000', i + 1)) count++;
  return count;
}
