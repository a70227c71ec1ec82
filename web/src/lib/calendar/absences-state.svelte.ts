// Absence requests: the person's own with their status, and for approvers the pending requests
// of their people with Approve and Reject. Live: absence feed entries refetch both lists.
import { calendarEndpoints, type Absence, type AbsenceKind } from '@crewdeck/shared/calendar';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { FormState } from '../form.svelte.ts';
import { realtime } from '../realtime.svelte.ts';
import { notify } from '../ui/confirm.svelte.ts';
import { m } from '../paraglide/messages.js';
import { today } from './time.ts';

export type AbsenceValues = { kind: AbsenceKind; startDay: string; endDay: string; note: string };

export function validateAbsence(values: AbsenceValues): Record<string, string> {
  return {
    startDay: values.startDay ? '' : m.cal_err_day(),
    endDay: !values.endDay ? m.cal_err_day() : values.endDay < values.startDay ? m.cal_err_last_day() : '',
    note: values.note.length > 1000 ? m.cal_err_note() : '',
  };
}

export class AbsencesState {
  mine = $state<Absence[]>([]);
  pending = $state<Absence[]>([]);
  error = $state('');
  values = $state<AbsenceValues>({ kind: 'vacation', startDay: today(), endDay: today(), note: '' });
  /** Id of the request being decided or cancelled. */
  working = $state<string | null>(null);
  readonly form = new FormState();
  readonly #meId: string;
  readonly #approver: boolean;

  constructor(meId: string, approver: boolean) {
    this.#meId = meId;
    this.#approver = approver;
  }

  connect(): () => void {
    void this.load();
    const off = realtime.onFeed((entry) => {
      if (entry.type === 'absence.requested' || entry.type === 'absence.decided') void this.load();
    });
    const offConnected = realtime.onConnected(() => void this.load());
    return () => {
      off();
      offConnected();
    };
  }

  async load(): Promise<void> {
    try {
      const [mine, pending] = await Promise.all([
        call(calendarEndpoints.listAbsences, { query: { userId: this.#meId } }),
        this.#approver ? call(calendarEndpoints.listAbsences, { query: { status: 'pending' } }) : null,
      ]);
      this.mine = [...mine.items].sort((a, b) => b.startDay.localeCompare(a.startDay));
      this.pending = (pending?.items ?? []).filter(
        (absence) => absence.userId !== this.#meId && absence.abilities['absence.approve'] !== false,
      );
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async request(): Promise<boolean> {
    if (!this.form.validate(validateAbsence(this.values))) return false;
    const ok = await this.form.run(async () => {
      const { note, ...rest } = this.values;
      await call(calendarEndpoints.createAbsence, { body: { ...rest, note: note.trim() || undefined } });
      return m.cal_absence_requested();
    });
    if (ok) {
      this.values = { ...this.values, note: '' };
      await this.load();
    }
    return ok;
  }

  async decide(absence: Absence, decision: 'approved' | 'rejected'): Promise<void> {
    await this.#work(absence, async () => {
      await call(calendarEndpoints.decideAbsence, { params: { id: absence.id }, body: { decision } });
      notify(
        decision === 'approved'
          ? m.cal_absence_approved({ name: absence.userName })
          : m.cal_absence_rejected({ name: absence.userName }),
      );
    });
  }

  async cancel(absence: Absence): Promise<void> {
    await this.#work(absence, async () => {
      await call(calendarEndpoints.cancelAbsence, { params: { id: absence.id } });
      notify(m.cal_absence_cancelled());
    });
  }

  async #work(absence: Absence, task: () => Promise<void>): Promise<void> {
    this.working = absence.id;
    try {
      await task();
      await this.load();
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.working = null;
    }
  }
}
