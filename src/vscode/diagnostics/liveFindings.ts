/**
 * The scan's live part: asks the running daemons (and their cluster stores) through the core's
 * diagnoseLive, and places each finding on a document. This machine's daemon gets the files the
 * scan read, so its findings sit at the store setting beside the file findings; other hosts have
 * no files here, and their findings go on their host page (hostDocuments.ts).
 */
import * as vscode from 'vscode';
import type { LiveHost } from '../../core/diagnostics/live/types';
import type { HostKeyTrust } from '../../core/ssh/hostKeyTrust';
import { groupHostFiles } from '../../core/diagnostics/configFiles';
import { diagnoseLiveReport } from '../../core/diagnostics/live/index';
import type { LiveDiagnostic } from './configDiagnostics';
import type { HostDocuments } from './hostDocuments';
import { toDiagnostic } from './toDiagnostic';

export interface ScannedFile {
  uri: vscode.Uri;
  corePath: string;
  text: string;
}

export interface LiveRequest {
  hosts: ReadonlyArray<LiveHost>;
  hostKeys?: HostKeyTrust;
  /** This machine's files (the scan's host root), given to its local daemon. */
  localFiles: readonly ScannedFile[];
  timeoutMs: number;
  upgradeCheck: boolean;
  /** Swarm: dial each node's ports from the other nodes, with a helper container from one of `helperImages` on each. */
  probeFromNodes: boolean;
  helperImages?: readonly string[];
  hostDocuments: HostDocuments;
  docsUri: vscode.Uri;
}

export interface LiveResult {
  diagnostics: LiveDiagnostic[];
  /** The engine version of the daemon the local files configure, when it answered. */
  localEngine?: string;
}

export async function liveDiagnostics(request: LiveRequest): Promise<LiveResult> {
  // The daemon these files configure is the one on this machine's socket; the first such host.
  const local = request.hosts.find((host) => /^(unix|npipe):\/\//.test(host.url));
  const hosts = request.hosts.map((host) => ({
    ...host,
    files: host === local ? groupHostFiles(request.localFiles.map((file) => ({ path: file.corePath, text: file.text }))).host : undefined,
  }));
  const { findings, engines } = await diagnoseLiveReport(hosts, {
    timeoutMs: request.timeoutMs,
    upgradeCheck: request.upgradeCheck,
    hostKeys: request.hostKeys,
    probeFromNodes: request.probeFromNodes,
    helperImages: request.helperImages,
  });
  const byPath = new Map(request.localFiles.map((file) => [file.corePath, file]));
  const resolve = (file: string): vscode.Uri => {
    const host = request.hosts.find((candidate) => candidate.url === file);
    if (host) return request.hostDocuments.uriFor(host);
    return byPath.get(file)?.uri ?? vscode.Uri.file(file);
  };
  const diagnostics = findings.map((finding) => ({
    uri: resolve(finding.file),
    diagnostic: toDiagnostic(finding, resolve, request.docsUri),
    text: byPath.get(finding.file)?.text,
  }));
  return { diagnostics, localEngine: local ? engines.get(local.url) : undefined };
}
