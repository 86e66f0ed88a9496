import { dockerLibraries } from './dockerLibraries';

/** One entry of Docker's `/events` stream, reduced to what the explorer reacts to. */
export interface DockerEvent {
  type: string;
  action: string;
  /** Container or network ID. */
  id: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, as the daemon stamped it. */
  timeNano: number;
}

/**
 * Splits the daemon's newline-delimited JSON event stream into events. A chunk may end in the
 * middle of an event, so the tail is kept until the next chunk completes it.
 */
export class DockerEventStream {
  private buffer = '';
  private ended = false;

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    private readonly onEvent: (event: DockerEvent) => void,
    private readonly onEnd: (reason: string) => void,
  ) {
    stream.on('data', (chunk: Buffer | string) => this.push(chunk.toString()));
    stream.on('error', (error: Error) => this.end(`event stream failed: ${error.message}`));
    stream.on('end', () => this.end('the daemon closed the event stream'));
    stream.on('close', () => this.end('the daemon closed the event stream'));
  }

  /** Stops following; `onEnd` is not called for a close we asked for. */
  close(): void {
    this.ended = true;
    const destroyable = this.stream as NodeJS.ReadableStream & { destroy?: () => void };
    destroyable.destroy?.();
  }

  private push(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      const event = line ? parseDockerEvent(line) : undefined;
      if (event && !this.ended) this.onEvent(event);
    }
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(reason);
  }
}

/** Parses one line of the stream; returns undefined for anything that is not an event. */
export function parseDockerEvent(line: string): DockerEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const record = dockerLibraries().answers.parseEventAnswer(raw);
  if (!record) return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.Actor?.Attributes ?? {})) {
    // Attributes are strings in Go's encoder; a daemon sending other values loses those, not the event.
    if (typeof value === 'string') attributes[key] = value;
  }
  return {
    type: record.Type,
    // exec_start: sh -c ... and health_status: healthy carry details after a colon.
    action: record.Action.split(':')[0].trim(),
    id: record.Actor?.ID ?? '',
    attributes,
    timeNano: record.timeNano ?? 0,
  };
}
