import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientServices } from '../clients/clients.module.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import { ClientExport } from './client-export.ts';
import { ImportRunner } from './import-runner.ts';
import { ImportsRepository } from './imports.repository.ts';
import { ImportsService } from './imports.service.ts';

export interface ImportsModuleDeps {
  access: AccessControl;
  audit: AuditWriter;
  people: People;
}

/** Import of clients and contacts from CSV/XLSX, and the export of client lists. */
export function createImports(deps: ImportsModuleDeps, crm: ClientServices) {
  const jobs = new ImportsRepository();
  const runner = new ImportRunner({ jobs, clients: crm.clients, clientsRepo: crm.repo, settings: crm.settingsStore });
  return {
    imports: new ImportsService({
      jobs,
      runner,
      clients: crm.clients,
      duplicates: crm.duplicates,
      settings: crm.settingsStore,
      access: deps.access,
      audit: deps.audit,
      people: deps.people,
      log: (message, error) => console.error(`[crewdeck] ${message}`, error),
    }),
    clientExport: new ClientExport({ ...deps, clients: crm.clients, clientsRepo: crm.repo }),
  };
}

export type ImportServices = ReturnType<typeof createImports>;
