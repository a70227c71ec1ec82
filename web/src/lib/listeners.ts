// Callback registries for the live connection's events. Plain bookkeeping, not state: nothing
// renders from the set of listeners, so it stays a built-in Set outside the rune modules.
export type Listener<T> = (value: T) => void;

export class Listeners<T> {
  readonly #set = new Set<Listener<T>>();

  /** Adds `listener`; the returned function removes it again. */
  add(listener: Listener<T>): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  emit(value: T): void {
    this.#set.forEach((fn) => fn(value));
  }
}
