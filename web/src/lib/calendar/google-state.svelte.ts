// The Google connection page: the status, polled every 2 s while a sync or the first import
// runs (the progress bar follows it), every 30 s otherwise (so "needs reconnect" or a new error
// found by a background sync shows on an open page), and disconnecting.
import { calendarEndpoints, type GoogleStatus } from '@crewdeck/shared/calendar';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';

const POLL_MS = 2000;
const IDLE_POLL_MS = 30_000;

export class GoogleState {
  status = $state<GoogleStatus | null>(null);
  error = $state('');
  busy = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Loads now and keeps polling while syncing; the returned function stops it. */
  start(): () => void {
    this.#stopped = false;
    void this.load();
    return () => {
      this.#stopped = true;
      clearTimeout(this.#timer);
    };
  }

  get syncing(): boolean {
    const state = this.status?.state;
    return state === 'syncing' || state === 'connecting' || (this.status?.progress ?? null) !== null;
  }

  async load(): Promise<void> {
    clearTimeout(this.#timer);
    try {
      this.status = await call(calendarEndpoints.googleStatus);
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
    if (!this.#stopped && this.status?.configured)
      this.#timer = setTimeout(() => void this.load(), this.syncing ? POLL_MS : IDLE_POLL_MS);
  }

  async disconnect(): Promise<void> {
    this.busy = true;
    try {
      await call(calendarEndpoints.googleDisconnect);
      await this.load();
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }
}
