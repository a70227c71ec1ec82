// The people in a co-editing session, as the awareness protocol reports them (one per tab).
export type Collaborator = { clientId: number; id: string; name: string; color: string; self: boolean };

/** One entry per person (several tabs of one person show once), self first. */
export function uniquePeople(list: Collaborator[]): Collaborator[] {
  const byId = new Map<string, Collaborator>();
  for (const c of list) if (!byId.has(c.id) || c.self) byId.set(c.id, c);
  return [...byId.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}
