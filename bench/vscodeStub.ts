/**
 * Just enough of the `vscode` API for the extension's module to load and its `activate` to run in
 * plain Node (the activation bench): windows, views and registrations are recorded, never shown.
 * Anything activation touches that is not here fails loudly (a Proxy names it), so the bench
 * cannot silently measure less than the real activation does.
 */
import { EventEmitter as NodeEmitter } from 'node:events';

type Listener<T> = (value: T) => unknown;

class Disposable {
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private readonly emitter = new NodeEmitter();
  readonly event = (listener: Listener<T>): Disposable => {
    this.emitter.on('e', listener);
    return new Disposable(() => this.emitter.off('e', listener));
  };
  fire(value: T): void {
    this.emitter.emit('e', value);
  }
  dispose(): void {
    this.emitter.removeAllListeners();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const match = /^([\w+.-]+):(?:\/\/)?([^?]*)(?:\?(.*))?$/.exec(value);
    return match ? new Uri(match[1], match[2], match[3] ?? '') : new Uri('file', value);
  }
  static from(parts: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '', parts.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

/** A text document as the extension sees it; `getTextCalls` counts how often its text was copied. */
export class StubDocument {
  getTextCalls = 0;
  readonly isClosed = false;
  readonly version = 1;
  constructor(
    readonly uri: Uri,
    private readonly text: string,
    readonly languageId: string,
  ) {}
  getText(range?: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
    this.getTextCalls += 1;
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  offsetAt(position: { line: number; character: number }): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let line = 0; line < position.line && line < lines.length; line += 1) offset += lines[line].length + 1;
    return Math.min(this.text.length, offset + position.character);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const line = before.split('\n').length - 1;
    return new Position(line, before.length - before.lastIndexOf('\n') - 1);
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
  contains(other: CodeActionKind): boolean {
    return other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

class TreeItem {
  constructor(
    readonly label: unknown,
    readonly collapsibleState?: number,
  ) {}
}

/** What activation registered, for the bench to check (commands, providers, events listened to). */
export const recorded = { commands: [] as string[], codeActionSelectors: [] as unknown[], documentListeners: 0, treeViews: [] as string[] };

const documents: StubDocument[] = [];
const openListeners = new EventEmitter<StubDocument>();
const changeListeners = new EventEmitter<unknown>();

/** Opens a document as the editor would: listed in `textDocuments`, announced to listeners. */
export function openDocument(path: string, text: string, languageId: string): StubDocument {
  const document = new StubDocument(Uri.file(path), text, languageId);
  documents.push(document);
  openListeners.fire(document);
  return document;
}

/** One keystroke at `offset`: the change event the editor would send (the text itself is not changed). */
export function keystroke(document: StubDocument, offset: number): () => void {
  const position = document.positionAt(offset);
  const event = { document, contentChanges: [{ range: new Range(position, position), rangeOffset: offset, rangeLength: 0, text: ' ' }] };
  return () => changeListeners.fire(event);
}

const noEvent = (): Disposable => new Disposable();
const countedEvent = (listener: Listener<never>): Disposable => {
  recorded.documentListeners += 1;
  void listener;
  return new Disposable();
};

const outputChannel = () => ({
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  append: () => undefined,
  appendLine: () => undefined,
  show: () => undefined,
  dispose: () => undefined,
});

const api = {
  Disposable,
  EventEmitter,
  Uri,
  Position,
  Range,
  CodeActionKind,
  TreeItem,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ViewColumn: { Active: -1 },
  ProgressLocation: { Notification: 15 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  QuickInputButtons: { Back: {} },
  window: {
    createOutputChannel: outputChannel,
    createTreeView: (id: string) => {
      recorded.treeViews.push(id);
      return { visible: false, onDidChangeVisibility: noEvent, reveal: async () => undefined, dispose: () => undefined };
    },
    registerWebviewPanelSerializer: () => new Disposable(),
    setStatusBarMessage: () => new Disposable(),
  },
  workspace: {
    isTrusted: true,
    workspaceFolders: [{ uri: Uri.file('/bench/workspace'), name: 'workspace', index: 0 }],
    get textDocuments() {
      return documents;
    },
    getConfiguration: () => ({
      get: <T>(_key: string, fallback: T) => fallback,
      inspect: () => undefined,
    }),
    onDidOpenTextDocument: (listener: Listener<StubDocument>) => {
      recorded.documentListeners += 1;
      return openListeners.event(listener);
    },
    onDidChangeTextDocument: (listener: Listener<unknown>) => {
      recorded.documentListeners += 1;
      return changeListeners.event(listener);
    },
    onDidCloseTextDocument: countedEvent,
    onDidSaveTextDocument: countedEvent,
    onDidChangeWorkspaceFolders: noEvent,
    onDidChangeConfiguration: noEvent,
    registerTextDocumentContentProvider: () => new Disposable(),
  },
  languages: {
    createDiagnosticCollection: () => ({
      set: () => undefined,
      delete: () => undefined,
      get: () => undefined,
      clear: () => undefined,
      dispose: () => undefined,
    }),
    registerCodeActionsProvider: (selector: unknown) => {
      recorded.codeActionSelectors.push(selector);
      return new Disposable();
    },
  },
  commands: {
    registerCommand: (id: string) => {
      recorded.commands.push(id);
      return new Disposable();
    },
    executeCommand: async () => undefined,
  },
};

/** The stub, with a loud failure for anything activation uses that it does not have. */
export const vscodeStub = guard(api, 'vscode');

function guard<T extends object>(target: T, name: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'symbol' || key in object || key === 'then' || key === '__esModule' || key === 'default')
        return Reflect.get(object, key, receiver);
      throw new Error(`the activation bench's vscode stub has no ${name}.${key}: add it to bench/vscodeStub.ts`);
    },
  });
}
for (const namespace of ['window', 'workspace', 'languages', 'commands'] as const) {
  (api as Record<string, unknown>)[namespace] = guard(api[namespace], `vscode.${namespace}`);
}
