/**
 * TEST ONLY: a Prompter that answers from a script instead of asking, installed through the
 * extension's test API (scriptPrompts). The commands run unchanged; only the questions are
 * answered differently, and everything the user would have seen is recorded.
 */
import type { ConfirmStep, InputStep, PickStep, Prompter, StepId } from './prompter';

/**
 * Answers by step id. An input takes the text; a pick takes an item's label; a multi-select
 * pick takes the labels to check; the confirmation takes a button (or "Cancel"). A missing
 * answer presses Enter on what the step offers (its pre-filled text, its pre-checked items);
 * a single pick or a confirmation without an answer is a mistake in the test and fails.
 */
export type ScriptedAnswers = Partial<Record<StepId, string | readonly string[]>>;

/** One question as the user would have seen it, with the answer given. */
export interface TranscriptEntry {
  step: StepId;
  /** The title with "n/total", as the quick input draws it, or the dialog's message. */
  title: string;
  answer: string | string[] | undefined;
  /** Inputs: the validation message the typed answer produced (what the input box shows). */
  validation?: string;
  /** Picks: the labels offered. Confirmations: the buttons and the detail text. */
  offered?: string[];
  detail?: string;
}

export class ScriptedPrompter implements Prompter {
  readonly transcript: TranscriptEntry[] = [];
  /** Messages of failed commands, as registerCommand's wrapper shows them. */
  readonly failures: string[] = [];

  constructor(private readonly answers: ScriptedAnswers) {}

  /** The transcript entry of a step (the last one, if it was asked more than once). */
  entry(step: StepId): TranscriptEntry | undefined {
    return this.transcript.filter((entry) => entry.step === step).at(-1);
  }

  async input(step: InputStep): Promise<string> {
    const text = this.single(step.id) ?? step.value ?? '';
    // A script cannot retype after a message: it submits anyway, so what the user would have
    // seen is recorded here and the core's own check (the backstop for every caller) decides.
    this.transcript.push({ step: step.id, title: titleOf(step), answer: text, validation: step.validate?.(text) });
    return text;
  }

  async pick<T>(step: PickStep<T>): Promise<T> {
    const label = this.single(step.id);
    const offered = step.items.map((item) => item.label);
    this.transcript.push({ step: step.id, title: titleOf(step), answer: label, offered });
    const chosen = step.items.find((item) => item.label === label);
    if (!chosen) throw new Error(`Scripted answer for "${step.id}" is ${JSON.stringify(label)}, not one of ${JSON.stringify(offered)}.`);
    return chosen.value;
  }

  async pickMany<T>(step: PickStep<T>): Promise<T[]> {
    const answer = this.answers[step.id];
    const labels = answer === undefined ? step.items.filter((item) => item.picked).map((item) => item.label) : [answer].flat();
    const offered = step.items.map((item) => item.label);
    this.transcript.push({ step: step.id, title: titleOf(step), answer: labels, offered });
    const unknown = labels.filter((label) => !offered.includes(label));
    if (unknown.length)
      throw new Error(`Scripted answer for "${step.id}" names ${JSON.stringify(unknown)}, not among ${JSON.stringify(offered)}.`);
    return step.items.filter((item) => labels.includes(item.label)).map((item) => item.value);
  }

  async confirm(step: ConfirmStep): Promise<string | undefined> {
    const choice = this.single('confirm');
    this.transcript.push({ step: 'confirm', title: step.message, answer: choice, offered: [...step.choices], detail: step.detail });
    if (choice === 'Cancel') return undefined;
    if (choice === undefined || !step.choices.includes(choice)) {
      throw new Error(
        `Scripted answer for "confirm" is ${JSON.stringify(choice)}, not one of ${JSON.stringify([...step.choices, 'Cancel'])}.`,
      );
    }
    return choice;
  }

  failed(message: string): void {
    this.failures.push(message);
  }

  private single(step: StepId): string | undefined {
    const answer = this.answers[step];
    return answer === undefined || typeof answer === 'string' ? answer : answer.join(',');
  }
}

function titleOf(step: InputStep | PickStep<unknown>): string {
  return step.position ? `${step.title} (${step.position.step}/${step.position.totalSteps})` : step.title;
}
