/**
 * Keeps the Problems panel in step with the configuration files: every open file the core
 * recognises, plus the files the last scan read from disk, grouped by host (see hostPaths.ts)
 * and diagnosed one host at a time, so a rule linking a flag in a unit drop-in to the same key in
 * daemon.json sees both files.
 */
import * as vscode from 'vscode';
import { classifyConfigFile, diagnoseFiles, KIND_PREFIX_CHARS, type ConfigFileKind } from '../../core/diagnostics/configFiles';
import { thisMachineFile, thisMachineInterfaces } from '../../core/diagnostics/hostFiles/thisMachine';
import type { Finding, QuickFix } from '../../core/diagnostics/finding';
import { hostPathOf } from '../../core/diagnostics/hostFiles/hostPaths';
import { checkFailedFindings } from '../../core/diagnostics/limits';
import { toDiagnostic } from './toDiagnostic';

const DEBOUNCE_MS = 150;

export interface ConfigSource {
  uri: vscode.Uri;
  text: string;
}

/** A live finding of the last scan, valid while its file still has the text it was found in. */
export interface LiveDiagnostic {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
  /** Undefined for a document of ours (a host's page) that no edit can change. */
  text?: string;
}

interface Entry {
  diagnostic: vscode.Diagnostic;
  fix?: QuickFix;
}

interface Published {
  uri: vscode.Uri;
  /** The text the findings were computed on: a fix applies only to that text. */
  text: string;
  entries: Entry[];
}

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dockerNetworkExplorer');
  private readonly scanned = new Map<string, ConfigSource>();
  private live = new Map<string, LiveDiagnostic[]>();
  private readonly published = new Map<string, Published>();
  /** Host key → the URIs published for that host, to clear those without findings any more. */
  private readonly groups = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Host key → the engine version its daemon answered in the last scan: selects the rules. */
  private readonly engines = new Map<string, string>();
  /**
   * Open document URI → its kind (undefined: not Docker's), decided from its name and first
   * characters when it opens, and again only when an edit reaches those characters: typing in
   * any other file costs a map lookup, never a copy of its text.
   */
  private readonly kinds = new Map<string, ConfigFileKind | undefined>();
  private readonly recognisedChanged = new vscode.EventEmitter<readonly vscode.Uri[]>();
  /** The files that are Docker configuration (open and recognised, or scanned): for the quick-fix provider. */
  readonly onDidChangeRecognised = this.recognisedChanged.event;
  private recognisedKey = '';
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly docsUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.collection,
      this.recognisedChanged,
      vscode.workspace.onDidOpenTextDocument((document) => this.touched(document, true)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        const beginningEdited = event.contentChanges.some((change) => change.rangeOffset < KIND_PREFIX_CHARS);
        this.touched(event.document, beginningEdited);
      }),
      // Closed: the host is diagnosed again without it (or with its text on disk, if scanned).
      vscode.workspace.onDidCloseTextDocument((document) => {
        const wasOurs = this.kinds.get(document.uri.toString()) !== undefined;
        this.kinds.delete(document.uri.toString());
        if (wasOurs || this.published.has(document.uri.toString())) this.schedule(document.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        const key = document.uri.toString();
        if (this.scanned.has(key)) this.scanned.set(key, { uri: document.uri, text: document.getText() });
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        // A file's host path, and so maybe its kind, depends on the workspace folders.
        this.kinds.clear();
        this.recomputeAll();
      }),
    ];
    for (const document of vscode.workspace.textDocuments) this.touched(document, true);
  }

  /** Files read from disk by a scan: from now on diagnosed with their host even when closed. */
  setScanned(sources: readonly ConfigSource[]): void {
    const keys = new Set([...this.scanned.values(), ...sources].map((source) => this.hostKey(source.uri)));
    this.scanned.clear();
    for (const source of sources) this.scanned.set(source.uri.toString(), source);
    for (const key of keys) this.recompute(key);
  }

  /** The engine a host's files are for (from a scan's live check); undefined: not known. */
  setEngine(hostKey: string, engine: string | undefined): void {
    if (this.engines.get(hostKey) === engine) return;
    if (engine === undefined) this.engines.delete(hostKey);
    else this.engines.set(hostKey, engine);
    this.recompute(hostKey);
  }

  /** Replaces the live findings of the previous scan. */
  setLive(diagnostics: readonly LiveDiagnostic[]): void {
    const touched = new Set([...this.live.keys()]);
    this.live = new Map();
    for (const item of diagnostics) {
      const key = item.uri.toString();
      // One push each: copying the list per item was quadratic in a file's live findings.
      const list = this.live.get(key);
      if (list) list.push(item);
      else this.live.set(key, [item]);
      touched.add(key);
    }
    for (const key of touched) this.publish(key);
  }

  /** The fixes of our diagnostics in `diagnostics`, if `document` still has the text they were found in. */
  fixesFor(
    document: vscode.TextDocument,
    diagnostics: readonly vscode.Diagnostic[],
  ): Array<{ diagnostic: vscode.Diagnostic; fix: QuickFix }> {
    const published = this.published.get(document.uri.toString());
    if (!published || published.text !== document.getText()) return [];
    return published.entries
      .filter((entry): entry is Required<Entry> => entry.fix !== undefined)
      .filter((entry) => diagnostics.some((given) => sameDiagnostic(given, entry.diagnostic)));
  }

  /** How many diagnostics are published now on these files (each counted once). */
  problemsIn(uris: readonly vscode.Uri[]): number {
    const unique = new Map(uris.map((uri) => [uri.toString(), uri]));
    return [...unique.values()].reduce((total, uri) => total + (this.collection.get(uri)?.length ?? 0), 0);
  }

  /**
   * Schedules its host's diagnosis, unless the file is neither a config file nor was one. Its
   * kind is decided again only when `decide` (opened, or an edit within its first characters).
   */
  private touched(document: vscode.TextDocument, decide: boolean): void {
    if (document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    const known = this.kinds.has(key);
    const before = this.kinds.get(key);
    // Typing in any other file costs this test only.
    if (known && before === undefined && !decide && !this.published.has(key)) return;
    const kind = known && !decide ? before : this.kindOf(document);
    if (kind === undefined && before === undefined && !this.published.has(key)) return;
    this.schedule(document.uri);
  }

  /** Decides (and remembers) an open document's kind from its name and first characters. */
  private kindOf(document: vscode.TextDocument): ConfigFileKind | undefined {
    const where = hostPathOf(document.uri.path, this.folders());
    const kind = classifyConfigFile(where.corePath, (chars) =>
      document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(chars))),
    );
    this.kinds.set(document.uri.toString(), kind);
    return kind;
  }

  private schedule(uri: vscode.Uri): void {
    const key = this.hostKey(uri);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.recompute(key);
      }, DEBOUNCE_MS),
    );
  }

  private recomputeAll(): void {
    const keys = new Set([...this.groups.keys(), ...[...this.scanned.values()].map((source) => this.hostKey(source.uri))]);
    for (const document of vscode.workspace.textDocuments) if (this.isConfigDocument(document)) keys.add(this.hostKey(document.uri));
    for (const key of keys) this.recompute(key);
  }

  private hostKey(uri: vscode.Uri): string {
    return hostPathOf(uri.path, this.folders()).hostKey;
  }

  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.path);
  }

  /** Diagnoses one host's files now and publishes the result for each of them. */
  private recompute(key: string): void {
    const folders = this.folders();
    const sources = new Map<string, ConfigSource & { corePath: string }>();
    const add = (source: ConfigSource) => {
      const where = hostPathOf(source.uri.path, folders);
      if (where.hostKey !== key || classifyConfigFile(where.corePath, source.text) === undefined) return;
      sources.set(where.corePath, { ...source, corePath: where.corePath });
    };
    // Open documents first: their text, not the disk's, is what the user is editing. Only
    // Docker's are copied; the others were ruled out when they opened.
    for (const document of vscode.workspace.textDocuments) {
      if (!document.isClosed && this.isConfigDocument(document) && this.hostKey(document.uri) === key)
        add({ uri: document.uri, text: document.getText() });
    }
    for (const source of this.scanned.values())
      if (![...sources.values()].some((known) => known.uri.toString() === source.uri.toString())) add(source);

    let findings: Finding[] = [];
    try {
      // Files of this machine ("/"): --cluster-advertise is also checked against its interfaces, the store's TLS files on its disk.
      const interfaces = key === '/' ? thisMachineInterfaces() : undefined;
      const hostFile = key === '/' ? thisMachineFile : undefined;
      findings = diagnoseFiles(
        [...sources.values()].map((source) => ({ path: source.corePath, text: source.text })),
        { interfaces, hostFile, engine: this.engines.get(key) },
      );
    } catch (error) {
      // A rule that throws must not take the other hosts' diagnostics down with it, nor make this
      // host's vanish silently: each of its files says it was not checked.
      this.log.error(`diagnostics of ${key}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      findings = checkFailedFindings([...sources.keys()], error);
    }
    const resolve = (file: string) => sources.get(file)?.uri ?? vscode.Uri.file(file);
    const byUri = new Map<string, Published>();
    for (const source of sources.values()) byUri.set(source.uri.toString(), { uri: source.uri, text: source.text, entries: [] });
    for (const finding of findings) {
      const target = byUri.get(resolve(finding.file).toString());
      // Findings always name one of the files given; anything else is a core bug, logged rather than shown nowhere.
      if (!target) {
        this.log.warn(`finding ${finding.code} names ${finding.file}, which is not among the files of ${key}`);
        continue;
      }
      target.entries.push({ diagnostic: toDiagnostic(finding, resolve, this.docsUri), fix: finding.fix });
    }
    const before = this.groups.get(key) ?? new Set<string>();
    for (const uri of before) if (!byUri.has(uri)) this.published.delete(uri);
    for (const [uri, published] of byUri) this.published.set(uri, published);
    this.groups.set(key, new Set(byUri.keys()));
    for (const uri of new Set([...before, ...byUri.keys()])) this.publish(uri);
    this.announceRecognised();
  }

  private isConfigDocument(document: vscode.TextDocument): boolean {
    if (document.uri.scheme !== 'file') return false;
    const key = document.uri.toString();
    return (this.kinds.has(key) ? this.kinds.get(key) : this.kindOf(document)) !== undefined;
  }

  /** Tells the quick-fix registration when the set of files with our diagnostics changed. */
  private announceRecognised(): void {
    const uris = [...this.published.values()].map((published) => published.uri);
    const key = uris.map(String).sort().join('\n');
    if (key === this.recognisedKey) return;
    this.recognisedKey = key;
    this.recognisedChanged.fire(uris);
  }

  private publish(key: string): void {
    const published = this.published.get(key);
    const live = (this.live.get(key) ?? []).filter((item) => item.text === undefined || item.text === published?.text);
    const diagnostics = [...(published?.entries.map((entry) => entry.diagnostic) ?? []), ...live.map((item) => item.diagnostic)];
    const uri = published?.uri ?? this.live.get(key)?.[0]?.uri ?? vscode.Uri.parse(key);
    if (diagnostics.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The code action context carries copies of the diagnostics: compare what they say. */
function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  const code = (diagnostic: vscode.Diagnostic) => (typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
  return a.range.isEqual(b.range) && a.message === b.message && code(a) === code(b) && a.source === b.source;
}
