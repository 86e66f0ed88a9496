/**
 * What the network commands ask the user, as data: each command gathers its input through a
 * Prompter, then executes. The real Prompter is VS Code's InputBox / QuickPick / modal dialog
 * (vscodePrompter.ts); the extension-host tests install a scripted one (scriptedPrompter.ts),
 * so the very same command code runs with answers a test supplies.
 */

/** The "back" button of a multi-step input. */
export const BACK = Symbol('back');

/** The user's answer; undefined when they cancelled (Escape, focus lost, dialog closed). */
export type Answer<T> = T | typeof BACK | undefined;

/** Names of the questions, so scripted answers and transcripts can refer to them. */
export type StepId =
  | 'host'
  | 'name'
  | 'subnet'
  | 'gateway'
  | 'ipRange'
  | 'bridgeName'
  | 'mtu'
  | 'labels'
  | 'ipv6Subnet'
  | 'ipv6Gateway'
  | 'ipv6IpRange'
  | 'kind'
  | 'parent'
  | 'mode'
  | 'options'
  | 'container'
  | 'network'
  | 'aliases'
  | 'links'
  | 'ipv4Address'
  | 'hostKind'
  | 'context'
  | 'url'
  | 'tls'
  | 'certPath'
  | 'from'
  | 'target'
  | 'port'
  | 'scope'
  | 'confirm';

/** "3/9" in the title; absent for a question outside a multi-step flow. */
export interface StepPosition {
  step: number;
  totalSteps: number;
}

interface StepBase {
  id: StepId;
  title: string;
  position?: StepPosition;
}

export interface InputStep extends StepBase {
  prompt: string;
  placeholder?: string;
  /** Pre-filled text; Enter accepts it as is. */
  value?: string;
  /** Run on every keystroke; a message keeps the step from being accepted. */
  validate?(text: string): string | undefined;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  /** Pre-selected in a multi-select pick. */
  picked?: boolean;
}

export interface PickStep<T> extends StepBase {
  placeholder: string;
  items: ReadonlyArray<PickItem<T>>;
  /** Text the user types that no item matches becomes this item (a name, an address), offered first. */
  typed?(text: string): PickItem<T> | undefined;
}

export interface ConfirmStep {
  id: 'confirm';
  message: string;
  detail?: string;
  /** Buttons besides Cancel, which VS Code adds to every modal. */
  choices: readonly string[];
}

export interface Prompter {
  input(step: InputStep): Promise<Answer<string>>;
  pick<T>(step: PickStep<T>): Promise<Answer<T>>;
  pickMany<T>(step: PickStep<T>): Promise<Answer<T[]>>;
  /** A modal dialog; resolves to the chosen button, undefined for Cancel. */
  confirm(step: ConfirmStep): Promise<string | undefined>;
  /**
   * The command failed with this message. registerCommand's wrapper shows it to the user; a
   * scripted prompter records it so a test can read what the user would have read.
   */
  failed(message: string): void;
}

/** One question of a multi-step flow, working on a draft `D` of the answers. */
export interface FlowStep<D> {
  /** False: never asked in this flow (e.g. a preset value); not counted in "n/total". */
  applies?: boolean;
  /**
   * True: passed over this time, because of an earlier answer (a gateway without a subnet).
   * Still counted, so the numbers do not shift under the user while they answer.
   */
  skip?(draft: D): boolean;
  /** The draft with this step's answer, BACK, or undefined when the user cancelled. */
  ask(draft: D, position: StepPosition): Promise<Answer<D>>;
}

/** The fields of a draft that hold text. */
type TextField<D> = { [K in keyof D]-?: string extends D[K] ? K : never }[keyof D];

/** A step of one question (`ask`), whose answer `apply` puts in the draft. */
function stepOf<D, T>(
  ask: (draft: D, position: StepPosition) => Promise<Answer<T>>,
  apply: (draft: D, answer: T) => D,
  skip?: (draft: D) => boolean,
): FlowStep<D> {
  return {
    skip,
    ask: async (draft, position) => {
      const answer = await ask(draft, position);
      if (answer === undefined) return undefined;
      if (answer === BACK) return BACK;
      return apply(draft, answer);
    },
  };
}

/** A step of one pick whose answer becomes `field` of the draft. */
export function pickInto<D, K extends keyof D>(
  prompter: Prompter,
  field: K,
  question: (draft: D) => Omit<PickStep<D[K]>, 'position'>,
  skip?: (draft: D) => boolean,
): FlowStep<D> {
  return stepOf(
    (draft, position) => prompter.pick({ ...question(draft), position }),
    (draft, answer) => ({ ...draft, [field]: answer }),
    skip,
  );
}

/** A step of one input box whose text, trimmed, becomes `field` of the draft. */
export function inputInto<D>(
  prompter: Prompter,
  field: TextField<D>,
  question: (draft: D) => Omit<InputStep, 'position'>,
  skip?: (draft: D) => boolean,
): FlowStep<D> {
  return stepOf(
    (draft, position) => prompter.input({ ...question(draft), position }),
    (draft, text) => ({ ...draft, [field]: text.trim() }),
    skip,
  );
}

/**
 * Runs steps in order with back navigation. Going back keeps the later answers in the draft,
 * so each step shows what was typed before when revisited.
 */
export async function runFlow<D>(allSteps: ReadonlyArray<FlowStep<D>>, initial: D): Promise<D | undefined> {
  const steps = allSteps.filter((step) => step.applies ?? true);
  let draft = initial;
  const visited: number[] = [];
  let index = 0;
  while (index < steps.length) {
    const step = steps[index];
    if (step.skip?.(draft)) {
      index++;
      continue;
    }
    const answer = await step.ask(draft, { step: index + 1, totalSteps: steps.length });
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index = visited.pop() ?? index;
      continue;
    }
    draft = answer;
    visited.push(index);
    index++;
  }
  return draft;
}
