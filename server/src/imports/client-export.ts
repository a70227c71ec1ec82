import { Readable } from 'node:stream';
import type { ClientListQuery } from '@crewdeck/shared/clients';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientDoc } from '../clients/clients.model.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { AuthedContext } from '../http/context.ts';
import type { FilePayload } from '../http/route.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import { sheetFile, type Cell, type SheetFormat } from './sheet-writer.ts';

export interface ClientExportDeps {
  clients: ClientsService;
  clientsRepo: ClientsRepository;
  access: AccessControl;
  audit: AuditWriter;
  people: People;
}

const columns = [
  'Name',
  'Kind',
  'Legal name',
  'Legal form',
  'Phones',
  'Emails',
  'Website',
  'Address',
  'Tags',
  'Status',
  'Source',
  'Manager',
  'Created',
];

const MAX_ROWS = 100_000;

/**
 * `GET /api/clients/export`: the clients list with the same filters and the same visibility
 * (`clients.listFilter`), as CSV or XLSX; journaled as `client.export` with the filter and count.
 */
export class ClientExport {
  readonly #d: ClientExportDeps;

  constructor(deps: ClientExportDeps) {
    this.#d = deps;
  }

  async exportList(ctx: AuthedContext, query: ClientListQuery & { format: SheetFormat }): Promise<FilePayload> {
    await this.#d.access.authorize(ctx, 'client.export');
    const filter = await this.#d.clients.listFilter(ctx, query);
    const docs: ClientDoc[] = [];
    for await (const batch of this.#d.clientsRepo.all(filter)) {
      docs.push(...batch);
      if (docs.length >= MAX_ROWS) break;
    }
    const names = await this.#d.people.names(docs.flatMap((d) => (d.managerId ? [String(d.managerId)] : [])));
    const rows: Cell[][] = docs
      .slice(0, MAX_ROWS)
      .map((d) => [
        d.name,
        d.kind,
        d.legalName,
        d.legalForm,
        d.phones.map((p) => p.value).join('; '),
        d.emails.map((e) => e.value).join('; '),
        d.website,
        d.address,
        d.tags.join(', '),
        d.status,
        d.source,
        d.managerId ? (names.get(String(d.managerId)) ?? '') : '',
        d.createdAt.toISOString(),
      ]);
    const file = await sheetFile(query.format, 'clients', columns, rows);
    const { format: _format, offset: _offset, limit: _limit, ...filters } = query;
    await this.#d.audit.record(ctx, {
      action: 'client.export',
      code: null,
      note: `${rows.length} clients, ${query.format.toUpperCase()}; filters: ${JSON.stringify(filters)}`,
    });
    return { ...file, size: file.buffer.length, stream: Readable.from([file.buffer]) };
  }
}
