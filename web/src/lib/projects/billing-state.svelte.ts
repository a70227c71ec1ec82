// The Billing tab: billable hours × rate per person for the whole project or one milestone.
import type { BillingSummary } from '@crewdeck/shared/projects';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import type { ProjectState } from './project-state.svelte.ts';

export class BillingState {
  /** The chosen milestone, '' for the whole project. */
  milestoneId = $state('');
  summary = $state<BillingSummary | null>(null);
  error = $state('');
  readonly #project: ProjectState;

  constructor(project: ProjectState) {
    this.#project = project;
  }

  /**
   * Fetches the summary. Run in an effect, it refetches when the milestone changes and whenever
   * the project's feed moves (time logged): both are read before the request starts.
   */
  load(): void {
    void this.#project.revision;
    const milestoneId = this.milestoneId;
    call(projectEndpoints.billing, {
      params: { id: this.#project.id },
      query: { milestoneId: milestoneId || undefined },
    }).then(
      (summary) => (this.summary = summary),
      (err: unknown) => (this.error = handleError(err).message),
    );
  }
}
