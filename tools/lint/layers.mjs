// An ESLint rule that holds the design's layering: every relative import is resolved to the file it
// names, and the folder it lands in must be the importer's own folder or one of a lower layer. The
// layer order itself is data, written in eslint.config.mjs. Bare imports (`vscode`, `node:fs`) are
// left to ESLint's no-restricted-imports there.
import * as path from 'node:path';

/** @param {string} file a path relative to the repository, with forward slashes */
function within(file, place) {
  return file === place || file.startsWith(`${place}/`);
}

/** The imported module as a repository path without its extension, or undefined for a bare import. */
function importedModule(importer, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier)).replace(/\.(ts|js|mjs)$/, '');
}

const layerOrder = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports run down the layer order only; some places may import only named modules.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          /** Lowest first; each entry a list of folders (repository paths) on that layer. */
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          /** Folders whose every file must stand on a layer (a new folder is placed before it is used). */
          covers: { type: 'array', items: { type: 'string' } },
          /** Places (folders or files without extension) that may import nothing but `may`. */
          only: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                places: { type: 'array', items: { type: 'string' } },
                may: { type: 'array', items: { type: 'string' } },
                why: { type: 'string' },
              },
              required: ['places', 'may', 'why'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward:
        '{{from}} (layer {{fromLayer}}) must not import {{to}} (layer {{toLayer}}): imports run down the layer order in eslint.config.mjs.',
      sideways:
        '{{from}} must not import {{to}}: both are on layer {{fromLayer}}, and folders of one layer stand apart (move what they share down).',
      outside: '{{from}} must not import {{module}}: it lies outside the layered folders of eslint.config.mjs.',
      unplaced: '{{file}} stands on no layer: add its folder to the layer order in eslint.config.mjs.',
      notAllowed: '{{module}} is not among what {{place}} may import ({{why}}).',
    },
  },
  create(context) {
    const { root, layers, covers = [], only = [] } = context.options[0];
    const importer = path.relative(root, context.filename).split(path.sep).join('/');
    const layerOf = (file) => {
      for (const [index, places] of layers.entries()) {
        const place = places.find((candidate) => within(file, candidate));
        if (place) return { index, place };
      }
      return undefined;
    };
    const from = layerOf(importer);
    const importerModule = importer.replace(/\.(ts|js|mjs)$/, '');
    const limits = only.filter((entry) => entry.places.some((place) => within(importerModule, place)));
    if (!from && covers.some((place) => within(importer, place))) {
      return { Program: (node) => context.report({ node, messageId: 'unplaced', data: { file: importer } }) };
    }
    if (!from && limits.length === 0) return {};

    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const module = importedModule(importer, specifier);
      if (!module) return;
      for (const limit of limits) {
        if (!limit.may.some((allowed) => within(module, allowed))) {
          context.report({ node, messageId: 'notAllowed', data: { module, place: limit.places.join(', '), why: limit.why } });
          return;
        }
      }
      if (!from) return;
      const to = layerOf(module);
      if (!to) {
        context.report({ node, messageId: 'outside', data: { from: from.place, module } });
        return;
      }
      if (to.place === from.place || to.index < from.index) return;
      const data = { from: from.place, to: to.place, fromLayer: String(from.index), toLayer: String(to.index) };
      context.report({ node, messageId: to.index === from.index ? 'sideways' : 'upward', data });
    };
    const source = (node) => check(node, node.source?.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      TSImportType: (node) => check(node, node.argument?.literal?.value ?? node.argument?.value),
      TSExternalModuleReference: (node) => check(node, node.expression?.value),
    };
  },
};

export default { rules: { 'layer-order': layerOrder } };
