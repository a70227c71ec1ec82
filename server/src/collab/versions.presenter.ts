import type { PersonRef, Version } from '@crewdeck/shared/library';
import type { VersionDoc } from './collab.model.ts';

/** Whitelist of public version fields. */
export function presentVersion(version: VersionDoc, people: ReadonlyMap<string, PersonRef>): Version {
  const person = (id: unknown) => (id ? (people.get(String(id)) ?? null) : null);
  return {
    id: String(version._id),
    number: version.number,
    name: version.name,
    kind: version.kind,
    createdBy: person(version.createdBy),
    contributors: version.contributors.flatMap((id) => person(id) ?? []),
    createdAt: version.createdAt.toISOString(),
    size: version.size,
  };
}

export const versionPeople = (versions: VersionDoc[]): string[] =>
  versions.flatMap((v) => [...(v.createdBy ? [String(v.createdBy)] : []), ...v.contributors.map(String)]);
