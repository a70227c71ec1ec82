import { Readable } from 'node:stream';
import type { DealExportQuery } from '@crewdeck/shared/deals';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { AuthedContext } from '../http/context.ts';
import type { FilePayload } from '../http/route.ts';
import { sheetFile, type Cell, type SheetFormat } from '../imports/sheet-writer.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import { inBoardOrder } from './deal-filter.ts';
import { decimalText } from './deal-money.ts';
import type { DealDoc } from './deals.model.ts';
import type { DealsRepository } from './deals.repository.ts';
import type { DealsService } from './deals.service.ts';

export interface DealExportDeps {
  deals: DealsService;
  dealsRepo: DealsRepository;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  people: People;
}

const columns = [
  'Title',
  'Client',
  'Stage',
  'Outcome',
  'Amount',
  'Currency',
  'Probability, %',
  'Expected close',
  'Manager',
  'Closed',
  'Lost reason',
  'Created',
];

const MAX_ROWS = 100_000;

/**
 * The amount as a decimal in the currency's precision: text in CSV (`1250.50`, exactly what the
 * minor units say), a number in XLSX so a spreadsheet can sum it (parsed from that text, for display).
 */
function amountCell(doc: DealDoc, format: SheetFormat): Cell {
  const text = decimalText(doc.amount, doc.currency);
  return format === 'csv' ? text : Number(text);
}

/**
 * `GET /api/deals/export`: the board's deals with the same filters and visibility
 * (`DealsService.listFilter`), as CSV or XLSX; needs `client.export`, journaled as `client.export`.
 */
export class DealExport {
  readonly #d: DealExportDeps;

  constructor(deps: DealExportDeps) {
    this.#d = deps;
  }

  async exportList(ctx: AuthedContext, query: DealExportQuery): Promise<FilePayload> {
    await this.#d.access.authorize(ctx, 'client.export');
    const { format, ...filters } = query;
    const settings = await this.#d.settings.fresh();
    const docs = inBoardOrder(
      settings,
      await this.#d.dealsRepo.list(await this.#d.deals.listFilter(ctx, filters), MAX_ROWS),
    );
    const [clients, names] = await Promise.all([
      this.#d.clientsRepo.findByIds([...new Set(docs.map((d) => String(d.clientId)))]),
      this.#d.people.names(docs.flatMap((d) => (d.managerId ? [String(d.managerId)] : []))),
    ]);
    const clientNames = new Map(clients.map((c) => [String(c._id), c.name]));
    const stageLabel = (key: string) => settings.dealStages.find((s) => s.key === key)?.label ?? key;
    const rows: Cell[][] = docs.map((d) => [
      d.title,
      clientNames.get(String(d.clientId)) ?? '',
      stageLabel(d.stage),
      d.outcome,
      amountCell(d, format),
      d.currency,
      d.probability,
      d.expectedCloseDate ?? '',
      d.managerId ? (names.get(String(d.managerId)) ?? '') : '',
      d.closedAt ? d.closedAt.toISOString() : '',
      d.outcome === 'lost' ? d.closedReason : '',
      d.createdAt.toISOString(),
    ]);
    const file = await sheetFile(format, 'deals', columns, rows);
    await this.#d.audit.record(ctx, {
      action: 'client.export',
      code: null,
      note: `Deals: ${rows.length} rows, ${format.toUpperCase()}; filters: ${JSON.stringify(filters)}`,
    });
    return { ...file, size: file.buffer.length, stream: Readable.from([file.buffer]) };
  }
}
