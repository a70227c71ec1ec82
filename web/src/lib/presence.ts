// Who is online in a project, kept current from the server's presence deltas.
import type { Presence } from '@crewdeck/shared/projects';

export type PresentUser = Presence['online'][number];

/** `online` after a delta: the joined users replace any entry of theirs, the left ones go; sorted by name. */
export function applyPresenceDelta(
  online: readonly PresentUser[],
  joined: readonly PresentUser[],
  left: readonly string[],
): PresentUser[] {
  const gone = new Set([...left, ...joined.map((user) => user.userId)]);
  const kept = online.filter((user) => !gone.has(user.userId));
  return [...kept, ...joined].sort((a, b) => a.name.localeCompare(b.name));
}
