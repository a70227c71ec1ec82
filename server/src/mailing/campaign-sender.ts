import type { CampaignDoc, RecipientDoc } from './mailing.model.ts';
import type { MailingRepository } from './mailing.repository.ts';
import { htmlOf, smtpSender, type MailingConfig, type MailSender } from './mail-transport.ts';
import type { MailingPeopleRepository } from './people.repository.ts';
import type { UnsubscribeTokens } from './unsubscribe-tokens.ts';

export interface CampaignSenderDeps {
  repo: MailingRepository;
  people: MailingPeopleRepository;
  tokens: UnsubscribeTokens;
  /** Test seam: how messages leave (nodemailer over SMTP_URL by default). */
  sender?: (config: MailingConfig & { smtpUrl: string }) => MailSender;
  log?: (message: string, error: unknown) => void;
}

export const BATCH_SIZE = 20;

type Outcome = { id: RecipientDoc['_id']; status: RecipientDoc['status']; error: string | null };

/**
 * Sends a campaign in batches in the background. Right before each batch it reloads the
 * recipients' consent and addresses: whoever withdrew consent (an unsubscribe link, a manager's
 * edit) or lost the address since the campaign started is skipped, never sent to.
 */
export class CampaignSender {
  readonly #d: CampaignSenderDeps;
  readonly #running = new Set<string>();

  constructor(deps: CampaignSenderDeps) {
    this.#d = deps;
  }

  /** Starts sending (once per campaign in this process); returns when it is done. */
  async run(campaign: CampaignDoc, config: MailingConfig & { smtpUrl: string }): Promise<void> {
    const id = String(campaign._id);
    if (this.#running.has(id)) return;
    this.#running.add(id);
    const sender = (this.#d.sender ?? smtpSender)(config);
    try {
      for (;;) {
        const batch = await this.#d.repo.pending(id, BATCH_SIZE);
        if (!batch.length) break;
        await this.#d.repo.settle(id, await this.#sendBatch(campaign, batch, sender, config));
      }
      await this.#d.repo.finish(id, 'done', null);
    } catch (error) {
      this.#d.log?.('campaign failed', error);
      await this.#d.repo.finish(id, 'failed', error instanceof Error ? error.message : String(error));
    } finally {
      sender.close();
      this.#running.delete(id);
    }
  }

  async #sendBatch(campaign: CampaignDoc, batch: RecipientDoc[], sender: MailSender, config: MailingConfig) {
    const now = await this.#d.people.current(batch.map((r) => ({ kind: r.personKind, id: r.personId })));
    const outcomes: Outcome[] = [];
    for (const r of batch) {
      const person = now.get(`${r.personKind}:${String(r.personId)}`);
      const stillThere = person?.emails.some((e) => e.value.trim().toLowerCase() === r.address);
      if (!person || !stillThere || person.consent.email?.granted !== true) {
        outcomes.push({ id: r._id, status: 'skipped', error: 'No consent or no address any more' });
        continue;
      }
      try {
        await sender.send(this.#message(campaign, r, config));
        outcomes.push({ id: r._id, status: 'sent', error: null });
      } catch (error) {
        outcomes.push({ id: r._id, status: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    }
    return outcomes;
  }

  #message(campaign: CampaignDoc, r: RecipientDoc, config: MailingConfig) {
    const token = this.#d.tokens.issue({ kind: r.personKind, id: r.personId, campaignId: String(campaign._id) });
    const page = `${config.publicUrl}/unsubscribe/${token}`;
    const oneClick = `${config.publicUrl}/api/unsubscribe/${token}`;
    const label = 'Unsubscribe';
    return {
      to: r.address,
      subject: campaign.subject,
      text: `${campaign.text}\n\n--\n${label}: ${page}\n`,
      ...(campaign.html ? { html: htmlOf(campaign.text, page, label) } : {}),
      // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` to this address.
      headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }
}
