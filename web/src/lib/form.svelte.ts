// The submit/error state every form shares: run one async task while `busy`, and turn a
// failure into the message and per-field errors the form shows (through the one handleError).
import { handleError } from './errors.ts';

export class FormState {
  /** True while the task runs (disables the submit button). */
  busy = $state(false);
  /** Message of the last failure, '' when none. */
  error = $state('');
  /** Per-field messages (client validation or the server's `fields`). */
  fields = $state<Record<string, string>>({});
  /** Success message, '' when none. */
  notice = $state('');

  /** Clears messages and field errors. */
  reset(): void {
    this.error = '';
    this.notice = '';
    this.fields = {};
  }

  /** Drops one field's error once the person edits that field (a fixed field shows no stale error). */
  clearField(name: string): void {
    if (!(name in this.fields)) return;
    const { [name]: _dropped, ...rest } = this.fields;
    this.fields = rest;
  }

  /**
   * Clears messages and shows `fields` (client-side validation); true when there are none. A
   * check that passed may be given as '' (`{ title: checkText(…) }`): it is not an error.
   */
  validate(fields: Record<string, string>): boolean {
    this.reset();
    this.fields = Object.fromEntries(Object.entries(fields).filter(([, message]) => message !== ''));
    return Object.keys(this.fields).length === 0;
  }

  /** Shows a failure: its message and per-field errors (for tasks that do not set `busy`). */
  fail(err: unknown): void {
    const failure = handleError(err);
    this.error = failure.message;
    this.fields = failure.fields;
  }

  /**
   * Runs `task`; its string result (if any) becomes the notice. Returns true on success,
   * false when it failed (error and fields are then set).
   */
  async run(task: () => Promise<string | void>): Promise<boolean> {
    this.reset();
    this.busy = true;
    try {
      this.notice = (await task()) ?? '';
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
