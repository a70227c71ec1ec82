// Segments: the saved list, the editor's draft with its live count (debounced), save and delete,
// and the export links of reachable people.
import { mailingEndpoints, type Segment, type SegmentCount, type SegmentFilters } from '@crewdeck/shared/mailing';
import { call, urlOf } from '../api.ts';
import { handleError } from '../errors.ts';

const COUNT_DELAY_MS = 300;

export const emptyFilters = (): SegmentFilters => ({ audience: 'both' });

export class SegmentsState {
  segments = $state<Segment[]>([]);
  /** The segment being edited (null: a new one). */
  editingId = $state<string | null>(null);
  name = $state('');
  filters = $state<SegmentFilters>(emptyFilters());
  count = $state<SegmentCount | null>(null);
  busy = $state(false);
  error = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #countRequest = 0;

  async load(): Promise<void> {
    try {
      this.segments = (await call(mailingEndpoints.listSegments)).segments;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  edit(segment: Segment | null): void {
    this.editingId = segment?.id ?? null;
    this.name = segment?.name ?? '';
    this.filters = segment ? { ...segment.filters } : emptyFilters();
    this.recount();
  }

  /** Sets one filter (an empty value removes it) and recounts. */
  setFilter<K extends keyof SegmentFilters>(key: K, value: SegmentFilters[K] | '' | undefined): void {
    const next = { ...this.filters };
    if (value === '' || value === undefined) delete next[key];
    else next[key] = value as SegmentFilters[K];
    this.filters = next;
    this.recount();
  }

  recount(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      const request = ++this.#countRequest;
      try {
        const count = await call(mailingEndpoints.countSegment, { body: $state.snapshot(this.filters) });
        if (request === this.#countRequest) this.count = count;
      } catch (err) {
        if (request === this.#countRequest) this.error = handleError(err).message;
      }
    }, COUNT_DELAY_MS);
  }

  async save(): Promise<void> {
    this.busy = true;
    try {
      const body = { name: this.name, filters: $state.snapshot(this.filters) };
      const { segment } = this.editingId
        ? await call(mailingEndpoints.updateSegment, { params: { id: this.editingId }, body })
        : await call(mailingEndpoints.createSegment, { body });
      this.editingId = segment.id;
      this.error = '';
      await this.load();
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }

  async remove(segment: Segment): Promise<void> {
    try {
      await call(mailingEndpoints.deleteSegment, { params: { id: segment.id } });
      if (this.editingId === segment.id) this.edit(null);
      await this.load();
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  exportUrl(segment: Segment, channel: 'email' | 'sms', format: 'csv' | 'xlsx'): string {
    return urlOf(mailingEndpoints.exportReachable, { params: { id: segment.id }, query: { channel, format } });
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
