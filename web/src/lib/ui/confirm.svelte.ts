// The app's one confirmation and undo service. Pages ask `confirmAction(...)` instead of the
// browser's window.confirm (unstyled, untranslated, blocks the page), and announce a
// reversible action with `notify(...)`, whose Undo button runs the caller's restore.
// <ConfirmHost /> in the root layout renders both.

export interface ConfirmRequest {
  title: string;
  message: string;
  /** Label of the confirming button ("Delete"). */
  confirmLabel: string;
  /** Red confirming button for destructive actions. */
  danger?: boolean;
}

interface PendingConfirm extends ConfirmRequest {
  resolve: (ok: boolean) => void;
}

export interface Toast {
  id: number;
  message: string;
  /** Runs when the person clicks Undo; the toast closes first. */
  undo?: () => Promise<void> | void;
  tone: 'info' | 'error';
}

class ConfirmService {
  pending = $state<PendingConfirm | null>(null);
  toasts = $state<Toast[]>([]);
  #next = 1;

  /** Resolves true when the person confirms, false when they cancel or close the dialog. */
  ask(request: ConfirmRequest): Promise<boolean> {
    this.pending?.resolve(false);
    return new Promise((resolve) => (this.pending = { ...request, resolve }));
  }

  answer(ok: boolean): void {
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(ok);
  }

  /** Shows a toast for `ms` (longer when it offers Undo). */
  notify(message: string, options: { undo?: Toast['undo']; tone?: Toast['tone']; ms?: number } = {}): void {
    const toast: Toast = { id: this.#next++, message, undo: options.undo, tone: options.tone ?? 'info' };
    this.toasts = [...this.toasts, toast].slice(-4);
    setTimeout(() => this.dismiss(toast.id), options.ms ?? (toast.undo ? 8000 : 4000));
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }
}

export const confirmService = new ConfirmService();

export const confirmAction = (request: ConfirmRequest): Promise<boolean> => confirmService.ask(request);
export const notify = (...args: Parameters<ConfirmService['notify']>): void => confirmService.notify(...args);
