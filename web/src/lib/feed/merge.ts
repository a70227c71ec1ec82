// Merging feed entries into the list shown: replays after a reconnect and catch-up fetches
// overlap what is already there, so entries are deduplicated by seq.
import type { FeedEntry } from '@crewdeck/shared/feed';

/** `items` plus the entries it does not hold yet, newest first; null when every entry is known. */
export function mergeEntries(items: readonly FeedEntry[], entries: readonly FeedEntry[]): FeedEntry[] | null {
  const known = new Set(items.map((item) => item.seq));
  const fresh = entries.filter((entry) => !known.has(entry.seq));
  if (fresh.length === 0) return null;
  return [...items, ...fresh].sort((a, b) => b.seq - a.seq);
}
