/**
 * A daemon answer that does not have the shape its call promises. Its own module, without zod:
 * the schemas (responseSchemas.ts) load with the Docker libraries on first use (dist/docker.js),
 * which holds its own copy of this class, so errors are told by name, not by `instanceof`.
 */
export class UnexpectedAnswerError extends Error {
  constructor(readonly problem: string) {
    super(`the daemon answered something unexpected: ${problem}`);
    this.name = 'UnexpectedAnswerError';
  }
}

export function isUnexpectedAnswerError(error: unknown): error is UnexpectedAnswerError {
  return error instanceof Error && error.name === 'UnexpectedAnswerError';
}
