import * as vscode from 'vscode';
import { BACK, type Answer, type ConfirmStep, type InputStep, type PickItem, type PickStep, type Prompter } from './prompter';
import { inputText, notify, pickTexts } from '../untrusted';
import { errorMessage } from '../../core/util/errors';

type Resolve<T> = (answer: Answer<T>) => void;

/** What InputBox and QuickPick share beyond QuickInput: title-bar buttons. */
type ButtonedInput = vscode.QuickInput & {
  buttons: readonly vscode.QuickInputButton[];
  readonly onDidTriggerButton: vscode.Event<vscode.QuickInputButton>;
};

/** The Prompter of real use: VS Code's InputBox, QuickPick and modal warning dialog. */
export class VsCodePrompter implements Prompter {
  input(step: InputStep): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    box.value = step.value ?? '';
    box.valueSelection = [0, box.value.length];
    box.prompt = inputText(step.prompt);
    box.placeholder = step.placeholder;
    const validate = () => {
      box.validationMessage = inputText(safely(() => step.validate?.(box.value)));
      return box.validationMessage === undefined;
    };
    // A pre-filled value is checked at once; an empty one only once the user types or accepts,
    // so a required field does not open with an error.
    if (box.value !== '') validate();
    return show(box, step, (resolve) => [
      box.onDidChangeValue(validate),
      box.onDidAccept(() => {
        if (validate()) resolve(box.value);
      }),
    ]);
  }

  pick<T>(step: PickStep<T>): Promise<Answer<T>> {
    const quickPick = createPick(step, false);
    const listed = quickPick.items;
    return show(quickPick, step, (resolve) => [
      quickPick.onDidChangeValue((text) => {
        const typed = step.typed?.(text.trim());
        quickPick.items =
          typed && text.trim() !== '' && !listed.some((entry) => entry.item.label === text.trim())
            ? [{ ...pickTexts({ label: typed.label, description: typed.description }), item: typed, alwaysShow: true }, ...listed]
            : listed;
      }),
      quickPick.onDidAccept(() => {
        const [chosen] = quickPick.selectedItems;
        if (chosen) resolve(chosen.item.value);
      }),
    ]);
  }

  pickMany<T>(step: PickStep<T>): Promise<Answer<T[]>> {
    const quickPick = createPick(step, true);
    return show(quickPick, step, (resolve) => [
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems.map((entry) => entry.item.value))),
    ]);
  }

  async confirm(step: ConfirmStep): Promise<string | undefined> {
    return notify('warning', step.message, { modal: true, detail: step.detail }, ...step.choices);
  }

  failed(): void {
    // registerCommand's wrapper shows the message.
  }
}

/** A validator that throws (the host went away: no snapshot) blocks the step with its reason. */
function safely(validate: () => string | undefined): string | undefined {
  try {
    return validate();
  } catch (error) {
    return errorMessage(error);
  }
}

interface ItemOf<T> extends vscode.QuickPickItem {
  item: PickItem<T>;
}

function createPick<T>(step: PickStep<T>, many: boolean): vscode.QuickPick<ItemOf<T>> {
  const quickPick = vscode.window.createQuickPick<ItemOf<T>>();
  const items = step.items.map((item) => ({
    ...pickTexts({ label: item.label, description: item.description, detail: item.detail }),
    item,
  }));
  quickPick.placeholder = step.placeholder;
  quickPick.matchOnDescription = true;
  quickPick.canSelectMany = many;
  quickPick.items = items;
  if (many) quickPick.selectedItems = items.filter((entry) => entry.item.picked);
  return quickPick;
}

/**
 * Shows a quick input with the step's title, "n/total" and a back button from step 2 on, and
 * settles once: with what `listen` resolves, BACK, or undefined when the input is hidden.
 */
function show<T>(
  input: ButtonedInput,
  step: InputStep | PickStep<unknown>,
  listen: (resolve: Resolve<T>) => vscode.Disposable[],
): Promise<Answer<T>> {
  input.title = step.title;
  input.step = step.position?.step;
  input.totalSteps = step.position?.totalSteps;
  input.buttons = (step.position?.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [];
  // Clicking the tree or an editor to look something up must not throw the answers away.
  input.ignoreFocusOut = true;
  return new Promise<Answer<T>>((resolve) => {
    let settled = false;
    const subscriptions: vscode.Disposable[] = [];
    const settle: Resolve<T> = (answer) => {
      if (settled) return;
      settled = true;
      subscriptions.forEach((subscription) => subscription.dispose());
      input.dispose();
      resolve(answer);
    };
    subscriptions.push(
      ...listen(settle),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) settle(BACK);
      }),
      input.onDidHide(() => settle(undefined)),
    );
    input.show();
  });
}
