// The deal dialog's state: a new deal (optionally for a given client) or an existing one, saved
// with the version it was opened at. A 409 shows the deal as it is now and keeps the dialog open;
// amounts are typed as text and sent as integer minor units.
import { dealEndpoints, dealSchema, type Deal } from '@crewdeck/shared/deals';
import { z } from 'zod';
import { call } from '../api.ts';
import { ApiError } from '../errors.ts';
import { FormState } from '../form.svelte.ts';
import { m } from '../paraglide/messages.js';
import { minorToInput, parseMoney } from './money.ts';

export interface DealDraft {
  title: string;
  clientId: string;
  clientName: string;
  amount: string;
  currency: string;
  expectedCloseDate: string;
  /** '' = the stage's default. */
  probability: string;
  stage: string;
  /** '' = the client's manager. */
  managerId: string;
  reason: string;
}

const conflictSchema = z.object({ error: z.object({ current: z.object({ deal: dealSchema }) }) });

export function blankDeal(currency = '', stage = ''): DealDraft {
  return {
    title: '',
    clientId: '',
    clientName: '',
    amount: '',
    currency,
    expectedCloseDate: '',
    probability: '',
    stage,
    managerId: '',
    reason: '',
  };
}

export function draftOf(deal: Deal): DealDraft {
  return {
    title: deal.title,
    clientId: deal.client.id,
    clientName: deal.client.name,
    amount: minorToInput(deal.amount, deal.currency),
    currency: deal.currency,
    expectedCloseDate: deal.expectedCloseDate ?? '',
    probability: String(deal.probability),
    stage: deal.stage,
    managerId: deal.manager?.id ?? '',
    reason: deal.closedReason,
  };
}

export class DealEditor {
  open = $state(false);
  draft = $state<DealDraft>(blankDeal());
  /** The deal being edited, null for a new one. */
  deal = $state<Deal | null>(null);
  readonly form = new FormState();
  readonly #onSaved: (deal: Deal | null, removedId?: string) => void;

  constructor(onSaved: (deal: Deal | null, removedId?: string) => void) {
    this.#onSaved = onSaved;
  }

  get isNew(): boolean {
    return this.deal === null;
  }

  openNew(currency: string, stage: string, client?: { id: string; name: string }): void {
    this.deal = null;
    this.draft = { ...blankDeal(currency, stage), clientId: client?.id ?? '', clientName: client?.name ?? '' };
    this.form.reset();
    this.open = true;
  }

  openExisting(deal: Deal): void {
    this.deal = deal;
    this.draft = draftOf(deal);
    this.form.reset();
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  /** Client-side checks (the server checks again); true when the draft may be sent. */
  validate(lostStage: boolean): number | null {
    const amount = parseMoney(this.draft.amount, this.draft.currency);
    const ok = this.form.validate({
      title: this.draft.title.trim() ? '' : m.deal_title_needed(),
      clientId: this.draft.clientId ? '' : m.deal_client_needed(),
      amount: amount === null ? m.deal_amount_invalid() : '',
      reason: lostStage && !this.draft.reason.trim() ? m.deal_reason_needed() : '',
    });
    return ok ? amount : null;
  }

  async save(lostStage: boolean): Promise<boolean> {
    const amount = this.validate(lostStage);
    if (amount === null) return false;
    const d = this.draft;
    const common = {
      title: d.title.trim(),
      clientId: d.clientId,
      amount,
      currency: d.currency || undefined,
      expectedCloseDate: d.expectedCloseDate || null,
      probability: d.probability === '' ? undefined : Number(d.probability),
      stage: d.stage || undefined,
      managerId: d.managerId || undefined,
      reason: lostStage ? d.reason.trim() : undefined,
    };
    const current = this.deal;
    return this.form.run(async () => {
      try {
        const { deal } = current
          ? await call(dealEndpoints.update, {
              params: { id: current.id },
              body: { ...common, version: current.version },
            })
          : await call(dealEndpoints.create, { body: common });
        this.#onSaved(deal);
        this.open = false;
        return m.deal_saved();
      } catch (err) {
        this.#adoptCurrent(err);
        throw err;
      }
    });
  }

  async remove(): Promise<boolean> {
    const current = this.deal;
    if (!current) return false;
    const ok = await this.form.run(async () => {
      await call(dealEndpoints.remove, { params: { id: current.id } });
    });
    if (ok) {
      this.#onSaved(null, current.id);
      this.open = false;
    }
    return ok;
  }

  /** After a 409: edit on top of the deal as it is now (the person sees the message and saves again). */
  #adoptCurrent(err: unknown): void {
    if (!(err instanceof ApiError) || err.status !== 409) return;
    const parsed = conflictSchema.safeParse(err.body);
    if (parsed.success) this.deal = parsed.data.error.current.deal;
  }
}
