import mongoose from 'mongoose';
import type { Campaign, CampaignInput } from '@crewdeck/shared/mailing';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { Audience } from './audience.ts';
import type { CampaignSender } from './campaign-sender.ts';
import type { CampaignDoc } from './mailing.model.ts';
import { presentCampaign } from './mailing.presenter.ts';
import type { MailingRepository } from './mailing.repository.ts';
import type { MailingConfig, SmsProvider } from './mail-transport.ts';
import type { SegmentsService } from './segments.service.ts';

export interface CampaignsServiceDeps {
  repo: MailingRepository;
  segments: SegmentsService;
  audience: Audience;
  sender: CampaignSender;
  access: AccessControl;
  publisher: FeedPublisher;
  people: People;
  config: () => MailingConfig;
  /** No SMS gateway is configured: SMS segments are export-only. */
  sms: SmsProvider | null;
}

/** Email campaigns to a segment's reachable people (`mailing.manage`), sent in the background. */
export class CampaignsService {
  readonly #d: CampaignsServiceDeps;

  constructor(deps: CampaignsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext): Promise<{ campaigns: Campaign[] }> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    return { campaigns: await this.#present(await this.#d.repo.campaigns()) };
  }

  async get(ctx: AuthedContext, id: string): Promise<{ campaign: Campaign }> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    const doc = await this.#d.repo.campaign(id);
    if (!doc) throw new NotFoundError('Campaign');
    return { campaign: (await this.#present([doc]))[0] };
  }

  /** Fixes the recipients (reachable now, as the sender may see them), journals it, and starts sending. */
  async create(ctx: AuthedContext, input: CampaignInput): Promise<{ campaign: Campaign }> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    if (input.channel === 'sms' && !this.#d.sms)
      throw new ValidationError(
        { channel: 'No SMS provider is configured: export the reachable contacts instead' },
        'SMS campaigns need an SMS provider',
      );
    const config = this.#d.config();
    const smtpUrl = config.smtpUrl;
    if (input.channel === 'email' && !smtpUrl)
      throw new ValidationError({ channel: 'No SMTP server is configured (SMTP_URL)' }, 'Email is not configured');
    const segment = await this.#d.segments.segment(ctx, input.segmentId);
    const people = await this.#d.audience.reachable(ctx, segment.filters, 'email');
    if (!people.length) throw new ValidationError({ segmentId: 'Nobody in this segment can be reached by email' });
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const campaign = await this.#d.repo.createCampaign(
        {
          segmentId: segment._id,
          segmentName: segment.name,
          channel: input.channel,
          subject: input.subject,
          text: input.text,
          html: input.html,
          status: 'sending',
          total: people.length,
          sent: 0,
          failed: 0,
          skipped: 0,
          error: null,
          createdBy: new mongoose.Types.ObjectId(ctx.actor.id),
          finishedAt: null,
        },
        people.map((p) => ({ personKind: p.kind, personId: p.id, name: p.name, address: p.email })),
        session,
      );
      const audit = {
        action: 'campaign.send' as const,
        code: null,
        note: `“${input.subject}” to segment “${segment.name}”: ${people.length} recipients`,
      };
      return { result: campaign, audit, feed: [] };
    });
    if (smtpUrl) void this.#d.sender.run(doc, { ...config, smtpUrl });
    return { campaign: (await this.#present([doc]))[0] };
  }

  /** Continues campaigns a restart interrupted (their pending recipients only). */
  async resume(): Promise<void> {
    const config = this.#d.config();
    if (!config.smtpUrl) return;
    for (const doc of await this.#d.repo.sending())
      void this.#d.sender.run(doc, { ...config, smtpUrl: config.smtpUrl });
  }

  async #present(docs: CampaignDoc[]): Promise<Campaign[]> {
    const people = await this.#d.people.refs(docs.flatMap((d) => (d.createdBy ? [String(d.createdBy)] : [])));
    return docs.map((d) => presentCampaign(d, people));
  }
}
