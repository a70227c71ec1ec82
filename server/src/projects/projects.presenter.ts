import type { Abilities } from '@crewdeck/shared/permissions';
import type { Progress, Project } from '@crewdeck/shared/projects';
import type { Names } from '../users/people.ts';
import type { ProjectDoc } from './projects.model.ts';

/** Whitelist of public project fields; counters stay on the server. */
export function presentProject(doc: ProjectDoc, names: Names, progress: Progress, abilities: Abilities): Project {
  return {
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    description: doc.description,
    archived: doc.archived,
    statuses: doc.statuses.map((s) => ({ key: s.key, name: s.name, category: s.category })),
    members: doc.members.map((m) => ({
      userId: String(m.userId),
      name: names.get(String(m.userId)) ?? '',
      role: m.role,
    })),
    progress,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    abilities,
  };
}
