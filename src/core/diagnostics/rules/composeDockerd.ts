/**
 * Compose services that run dockerd itself (Docker in Docker): their command line is read like a
 * unit's ExecStart=, so the cluster-store rules see its flags where they are written. A service
 * runs dockerd when its entrypoint or command names dockerd (or dind's dockerd-entrypoint.sh),
 * or when it is a docker:*dind image whose command starts with a flag (the image's entrypoint
 * hands such a command to dockerd). The engine is the image tag's when it names one
 * (docker:20.10-dind), so a 23+ tag gets that engine's refusal instead (DNE161).
 */
import { CLUSTER_STORE_KEYS } from '../engine';
import type { Finding } from '../finding';
import type { ComposeService, Located } from '../parsers/composeFile';
import { parseDockerdWords } from '../parsers/dockerdFlags';
import type { Word } from '../parsers/shellWords';
import type { LineIndex } from '../text';
import { clusterStoreFindings } from './clusterStore';
import type { DockerdConfig } from '../dockerdConfig';
import { removedClusterStoreFindings } from './removedClusterStore';
import { storeOptsFindings } from './storeOpts';

const DOCKERD = /(^|\/)(dockerd|dockerd-entrypoint\.sh)$/;
const DIND_IMAGE = /(^|\/)docker:([^@\s]*-)?dind(-rootless)?(@.*)?$/;

/** The words dockerd receives from this service, or undefined when it does not run dockerd. */
export function dockerdWords(service: ComposeService): Located[] | undefined {
  const words = [...(service.entrypoint?.words ?? []), ...(service.command?.words ?? [])];
  const at = words.findIndex((word) => DOCKERD.test(word.value));
  if (at >= 0) return words.slice(at + 1);
  const image = service.image?.value ?? '';
  const command = service.command?.words ?? [];
  if (!service.entrypoint && DIND_IMAGE.test(image) && command[0]?.value.startsWith('-')) return command;
  return undefined;
}

/** The Docker Engine a docker:TAG image runs, when the tag names one (20.10-dind, 26.1.5-dind). */
export function dindEngine(image: string | undefined): string | undefined {
  return /(?:^|\/)docker:(\d+(?:\.\d+){0,2})(?:-|$)/.exec(image ?? '')?.[1];
}

export function composeDockerdFindings(file: string, text: string, lines: LineIndex, services: readonly ComposeService[]): Finding[] {
  return services.flatMap((service) => {
    const located = dockerdWords(service);
    if (!located || located.length === 0) return [];
    const parsed = parseDockerdWords(
      located.map((word) => toWord(word, text)),
      lines,
      file,
    );
    if (!parsed.flags.some((flag) => CLUSTER_STORE_KEYS.includes(flag.key))) return [];
    const config: DockerdConfig = { flags: parsed.flags, envFiles: [], listens: [], sources: { [file]: text } };
    const engine = dindEngine(service.image?.value);
    const removed = removedClusterStoreFindings(config, engine);
    // Removing a word from a compose command is not the unit's edit: those findings come without a fix here.
    if (removed.length > 0) return removed.map(({ fix: _fix, ...finding }) => finding);
    return [...clusterStoreFindings(config), ...storeOptsFindings(config)];
  });
}

/** A compose scalar as a shell word: a quoted scalar's characters start after its quote. */
function toWord(word: Located, text: string): Word {
  const quoted = text[word.start] === '"' || text[word.start] === "'";
  const first = word.start + (quoted ? 1 : 0);
  return {
    value: word.value,
    start: word.start,
    end: word.end,
    offsets: Array.from({ length: word.value.length }, (_, index) => first + index),
  };
}
