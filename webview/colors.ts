/**
 * Cytoscape rejects 4- and 8-digit hex colours ("invalid style property"), and themes use them
 * (Dark Modern's descriptionForeground is #ccccccb3): such a colour is blended over the editor
 * background into the opaque colour it shows as.
 */
export function opaque(color: string, background: string): string {
  const rgba = parseHex(color);
  if (!rgba || rgba[3] === 1) return color;
  const under = parseHex(background) ?? [0, 0, 0, 1];
  const mix = (i: number) => Math.round(rgba[i] * rgba[3] + under[i] * (1 - rgba[3]));
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

function parseHex(color: string): [number, number, number, number] | undefined {
  const match = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color);
  if (!match) return undefined;
  const digits = match[1].length <= 4 ? [...match[1]].map((digit) => digit + digit) : (match[1].match(/../g) ?? []);
  const [r, g, b, a = 'ff'] = digits.map((pair) => pair);
  return [parseInt(r, 16), parseInt(g, 16), parseInt(b, 16), parseInt(a, 16) / 255];
}
