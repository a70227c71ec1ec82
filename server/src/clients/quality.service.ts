import { z } from 'zod';
import type { Client, CrmSettings, DataQuality } from '@crewdeck/shared/clients';
import type { AuthedContext } from '../http/context.ts';
import type { People } from '../users/people.ts';
import { missingRequired } from './client-fields.ts';
import type { ClientDoc } from './clients.model.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { ClientsService } from './clients.service.ts';
import type { CrmSettingsStore } from './crm-settings.ts';
import type { DuplicateReview } from './duplicate-review.ts';

type Issue = 'missingRequired' | 'invalidPhones' | 'invalidEmails' | 'stale';

const emailShape = z.email();

/** Which data-quality issues one client has, under the current settings. */
export function issuesOf(client: ClientDoc, settings: CrmSettings, now: Date): Set<Issue> {
  const issues = new Set<Issue>();
  const missing = missingRequired(settings, client.kind, {
    ...client,
    managerId: client.managerId ? String(client.managerId) : null,
  });
  if (Object.keys(missing).length) issues.add('missingRequired');
  if (client.phones.some((p) => !p.e164)) issues.add('invalidPhones');
  if (client.emails.some((e) => !emailShape.safeParse(e.value).success)) issues.add('invalidEmails');
  const since = now.getTime() - settings.staleDays * 86_400_000;
  const last = client.lastInteractionAt ?? client.createdAt;
  if (last.getTime() < since) issues.add('stale');
  return issues;
}

/**
 * The data-quality report: per responsible manager, among the clients the caller may see, how
 * many miss a required field, carry a phone or email that does not parse, had no interaction for
 * `staleDays`, or wait in the duplicate review queue.
 */
export class QualityService {
  readonly #d: QualityDeps;

  constructor(deps: QualityDeps) {
    this.#d = deps;
  }

  async report(ctx: AuthedContext, now = new Date()): Promise<DataQuality> {
    const settings = await this.#d.settings.fresh();
    const filter = await this.#d.clients.listFilter(ctx, {});
    const pending = await this.#d.review.pendingCounts();
    const rows = new Map<string, Omit<DataQuality['rows'][number], 'manager'>>();
    const blank = () => ({
      clients: 0,
      missingRequired: 0,
      invalidPhones: 0,
      invalidEmails: 0,
      stale: 0,
      duplicates: 0,
    });
    for await (const batch of this.#d.repo.all(filter)) {
      for (const client of batch) {
        const key = client.managerId ? String(client.managerId) : '';
        const row = rows.get(key) ?? blank();
        row.clients += 1;
        for (const issue of issuesOf(client, settings, now)) row[issue] += 1;
        if (pending.has(String(client._id))) row.duplicates += 1;
        rows.set(key, row);
      }
    }
    const people = await this.#d.people.refs([...rows.keys()].filter(Boolean));
    const totals = blank();
    for (const row of rows.values())
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
    return {
      staleDays: settings.staleDays,
      rows: [...rows.entries()]
        .map(([id, row]) => ({ manager: id ? (people.get(id) ?? { id, name: '' }) : null, ...row }))
        .sort((a, b) => (a.manager?.name ?? '').localeCompare(b.manager?.name ?? '')),
      totals,
    };
  }

  async issues(
    ctx: AuthedContext,
    query: { issue: Issue; managerId?: string; limit: number },
    now = new Date(),
  ): Promise<{ clients: Client[] }> {
    const settings = await this.#d.settings.fresh();
    const filter = await this.#d.clients.listFilter(ctx, {});
    const found: ClientDoc[] = [];
    for await (const batch of this.#d.repo.all(filter)) {
      for (const client of batch) {
        const manager = client.managerId ? String(client.managerId) : 'none';
        if (query.managerId && query.managerId !== manager) continue;
        if (issuesOf(client, settings, now).has(query.issue)) found.push(client);
        if (found.length >= query.limit) break;
      }
      if (found.length >= query.limit) break;
    }
    return { clients: await this.#d.clients.present(ctx.actor, found) };
  }
}

export interface QualityDeps {
  repo: ClientsRepository;
  clients: ClientsService;
  settings: CrmSettingsStore;
  review: DuplicateReview;
  people: People;
}
