import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RequestContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { MailingPeopleRepository } from './people.repository.ts';
import type { UnsubscribeTokens } from './unsubscribe-tokens.ts';

const mask = (address: string) => {
  const [local, domain] = address.split('@');
  return domain ? `${local.slice(0, 1)}***@${domain}` : '***';
};

/**
 * The signed unsubscribe link. Opening it (GET) only describes it, because mail scanners open
 * links; the one-click POST withdraws the email consent, journaled as `contact.unsubscribe`.
 * A token this server did not seal is 404, whatever ids it claims.
 */
export class UnsubscribeService {
  readonly #people: MailingPeopleRepository;
  readonly #tokens: UnsubscribeTokens;
  readonly #publisher: FeedPublisher;

  constructor(deps: { people: MailingPeopleRepository; tokens: UnsubscribeTokens; publisher: FeedPublisher }) {
    this.#people = deps.people;
    this.#tokens = deps.tokens;
    this.#publisher = deps.publisher;
  }

  async #resolve(token: string) {
    const ref = this.#tokens.open(token);
    const person = ref ? await this.#people.person(ref.kind, String(ref.id)) : null;
    if (!ref || !person) throw new NotFoundError('Unsubscribe link');
    return { ref, person };
  }

  async info(token: string) {
    const { person } = await this.#resolve(token);
    return {
      channel: 'email' as const,
      address: mask(person.emails[0]?.value ?? ''),
      done: person.consent?.email?.granted === false,
    };
  }

  async unsubscribe(ctx: RequestContext, token: string): Promise<{ ok: true }> {
    const { ref, person } = await this.#resolve(token);
    if (person.consent?.email?.granted === false) return { ok: true };
    await this.#publisher.publish(ctx, async (session) => {
      await this.#people.withdrawConsent(ref.kind, ref.id, 'email', session);
      return {
        result: undefined,
        audit: {
          action: 'contact.unsubscribe' as const,
          code: null,
          changes: [{ field: 'consent.email', from: person.consent?.email?.granted ?? null, to: false }],
          note: `${person.name}: unsubscribe link (${ref.kind}, campaign ${ref.campaignId})`,
        },
        feed: [],
      };
    });
    return { ok: true };
  }
}
