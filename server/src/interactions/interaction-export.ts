import { Readable } from 'node:stream';
import type { InteractionExportQuery } from '@crewdeck/shared/interactions';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { AuthedContext } from '../http/context.ts';
import type { FilePayload } from '../http/route.ts';
import { sheetFile, type Cell } from '../imports/sheet-writer.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { InteractionsRepository } from './interactions.repository.ts';
import type { InteractionsService } from './interactions.service.ts';

export interface InteractionExportDeps {
  interactions: InteractionsService;
  repo: InteractionsRepository;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  people: People;
}

const columns = [
  'Occurred',
  'Kind',
  'Direction',
  'Duration, min',
  'Client',
  'Contact',
  'Subject',
  'Notes',
  'Result',
  'Manager',
  'Author',
  'Follow-up',
  'Follow-up note',
  'Created',
];

const MAX_ROWS = 100_000;

/**
 * `GET /api/interactions/export`: the journal with the same filters and visibility
 * (`InteractionsService.listFilter`), newest first, as CSV or XLSX; needs `client.export`,
 * journaled as `client.export`.
 */
export class InteractionExport {
  readonly #d: InteractionExportDeps;

  constructor(deps: InteractionExportDeps) {
    this.#d = deps;
  }

  async exportList(ctx: AuthedContext, query: InteractionExportQuery): Promise<FilePayload> {
    await this.#d.access.authorize(ctx, 'client.export');
    const { format, ...filters } = query;
    const settings = await this.#d.settings.fresh();
    const { docs } = await this.#d.repo.list(await this.#d.interactions.listFilter(ctx, filters), 0, MAX_ROWS);
    const [clients, names, contactNames] = await Promise.all([
      this.#d.clientsRepo.findByIds([...new Set(docs.map((d) => String(d.clientId)))]),
      this.#d.people.names(docs.flatMap((d) => [String(d.managerId), String(d.authorId)])),
      this.#d.repo.contactNames(docs.flatMap((d) => (d.contactId ? [String(d.contactId)] : []))),
    ]);
    const clientNames = new Map(clients.map((c) => [String(c._id), c.name]));
    const resultLabel = (key: string) => settings.interactionResults.find((r) => r.key === key)?.label ?? key;
    const rows: Cell[][] = docs.map((d) => [
      d.occurredAt.toISOString(),
      d.kind,
      d.direction ?? '',
      d.durationMinutes ?? '',
      clientNames.get(String(d.clientId)) ?? '',
      d.contactId ? (contactNames.get(String(d.contactId)) ?? '') : '',
      d.subject,
      d.notes,
      d.result ? resultLabel(d.result) : '',
      names.get(String(d.managerId)) ?? '',
      names.get(String(d.authorId)) ?? '',
      d.followUp ? d.followUp.at.toISOString() : '',
      d.followUp?.note ?? '',
      d.createdAt.toISOString(),
    ]);
    const file = await sheetFile(format, 'interactions', columns, rows);
    await this.#d.audit.record(ctx, {
      action: 'client.export',
      code: null,
      note: `Interactions: ${rows.length} rows, ${format.toUpperCase()}; filters: ${JSON.stringify(filters)}`,
    });
    return { ...file, size: file.buffer.length, stream: Readable.from([file.buffer]) };
  }
}
