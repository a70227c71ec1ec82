// The campaign composer and the recent campaigns, with the progress of those still sending (polled).
import { mailingEndpoints, type Campaign } from '@crewdeck/shared/mailing';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';

const POLL_MS = 1000;

export class CampaignState {
  campaigns = $state<Campaign[]>([]);
  segmentId = $state('');
  subject = $state('');
  text = $state('');
  html = $state(false);
  busy = $state(false);
  error = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly canSend = $derived(Boolean(this.segmentId && this.subject.trim() && this.text.trim()) && !this.busy);

  async load(): Promise<void> {
    clearTimeout(this.#timer);
    try {
      this.campaigns = (await call(mailingEndpoints.listCampaigns)).campaigns;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
    if (this.campaigns.some((c) => c.status === 'sending')) this.#timer = setTimeout(() => void this.load(), POLL_MS);
  }

  async send(): Promise<boolean> {
    this.busy = true;
    try {
      await call(mailingEndpoints.createCampaign, {
        body: { segmentId: this.segmentId, channel: 'email', subject: this.subject, text: this.text, html: this.html },
      });
      this.subject = '';
      this.text = '';
      this.error = '';
      await this.load();
      return true;
    } catch (err) {
      this.error = handleError(err).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
