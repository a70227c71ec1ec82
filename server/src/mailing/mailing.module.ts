import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientServices } from '../clients/clients.module.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { People } from '../users/people.ts';
import { Audience } from './audience.ts';
import { CampaignSender } from './campaign-sender.ts';
import { CampaignsService } from './campaigns.service.ts';
import { mailingConfigFromEnv, type MailingConfig, type SmsProvider } from './mail-transport.ts';
import { MailingRepository } from './mailing.repository.ts';
import { MailingPeopleRepository } from './people.repository.ts';
import { SegmentsService } from './segments.service.ts';
import { UnsubscribeService } from './unsubscribe.service.ts';
import { UnsubscribeTokens } from './unsubscribe-tokens.ts';

export interface MailingModuleDeps {
  access: AccessControl;
  audit: AuditWriter;
  publisher: FeedPublisher;
  people: People;
  /** The server's secret box (seals unsubscribe tokens); see the fallback below when absent. */
  secretBox: SecretBox;
  /** SMTP_URL, MAIL_FROM, PUBLIC_URL; read from the environment when each campaign starts. */
  mailing?: () => MailingConfig;
  sms?: SmsProvider | null;
}

/**
 * Without the server's box, a key from CREWDECK_SECRET_KEY (so links survive restarts), else a
 * random one for this process (links then die with it).
 */

/** Segments, campaigns and unsubscribe links. */
export function createMailing(deps: MailingModuleDeps, crm: ClientServices) {
  const repo = new MailingRepository();
  const people = new MailingPeopleRepository();
  const tokens = new UnsubscribeTokens(deps.secretBox);
  const audience = new Audience({ clients: crm.clients, people });
  const log = (message: string, error: unknown) => console.error(`[crewdeck] ${message}`, error);
  const segments = new SegmentsService({ ...deps, repo, audience });
  const sender = new CampaignSender({ repo, people, tokens, log });
  const campaigns = new CampaignsService({
    ...deps,
    repo,
    segments,
    audience,
    sender,
    config: deps.mailing ?? (() => mailingConfigFromEnv()),
    sms: deps.sms ?? null,
  });
  return {
    segments,
    campaigns,
    unsubscribe: new UnsubscribeService({ people, tokens, publisher: deps.publisher }),
  };
}

export type MailingServices = ReturnType<typeof createMailing>;
