// The data-quality report per manager and, for one count, the clients behind it.
import { clientEndpoints, type Client, type DataQuality } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';

export const QUALITY_ISSUES = ['missingRequired', 'invalidPhones', 'invalidEmails', 'stale'] as const;
export type QualityIssue = (typeof QUALITY_ISSUES)[number];

export const ISSUE_LABELS: Record<QualityIssue, () => string> = {
  missingRequired: m.cli_q_missing,
  invalidPhones: m.cli_q_phones,
  invalidEmails: m.cli_q_emails,
  stale: m.cli_q_stale,
};

export const isIssue = (value: string): value is QualityIssue => (QUALITY_ISSUES as readonly string[]).includes(value);

/** The link of one count: the issue and the manager ('none' = clients without one). */
export const issueHref = (issue: QualityIssue, managerId: string | null) =>
  `/clients/quality?issue=${issue}&managerId=${managerId ?? 'none'}`;

export class QualityState {
  report = $state<DataQuality | null>(null);
  issues = $state<Client[] | null>(null);
  error = $state('');

  async load(): Promise<void> {
    try {
      this.report = await call(clientEndpoints.dataQuality);
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async loadIssues(issue: string, managerId: string): Promise<void> {
    if (!isIssue(issue)) {
      this.issues = null;
      return;
    }
    try {
      const query = { issue, limit: 200, ...(managerId ? { managerId } : {}) };
      this.issues = (await call(clientEndpoints.dataQualityIssues, { query })).clients;
    } catch (err) {
      this.error = handleError(err).message;
    }
  }
}
