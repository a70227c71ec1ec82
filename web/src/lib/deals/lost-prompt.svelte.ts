// "Why was it lost?" asked when a card is dropped on a lost stage: a promise the board awaits,
// answered by the dialog (the reason) or by closing it (null: the move is not made).
export class LostPrompt {
  title = $state('');
  reason = $state('');
  open = $state(false);
  #resolve: ((reason: string | null) => void) | null = null;

  ask(title: string): Promise<string | null> {
    this.#resolve?.(null);
    this.title = title;
    this.reason = '';
    this.open = true;
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  answer(reason: string | null): void {
    this.open = false;
    this.#resolve?.(reason);
    this.#resolve = null;
  }
}
