// @mentions in comments: while the text before the caret ends with `@word`, members whose name
// starts with that word are suggested; picking one inserts `@Name` and records their id (sent as
// `mentions`, so a name with a space still notifies the right person).
import type { ProjectMember } from '@crewdeck/shared/projects';

export type MentionQuery = { start: number; query: string };

/** The `@word` being typed just before `caret`, if any. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([\p{L}\p{N}._-]{0,30})$/u.exec(before);
  if (!match) return null;
  return { start: before.length - match[2].length - 1, query: match[2].toLowerCase() };
}

export function suggestMembers(members: ProjectMember[], query: string, limit = 6): ProjectMember[] {
  return members
    .filter((member) => member.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(query)) || member.name.toLowerCase().startsWith(query))
    .slice(0, limit);
}

/** Replaces the `@word` at `at` with `@Name ` and returns the new text and caret. */
export function insertMention(text: string, at: MentionQuery, member: ProjectMember): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${member.name} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(end), caret: at.start + inserted.length };
}

/** Splits a comment body into text and highlighted mentions of known people. */
export function splitMentions(body: string, names: string[]): { text: string; mention: boolean }[] {
  const sorted = [...names].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (sorted.length === 0) return [{ text: body, mention: false }];
  const pattern = new RegExp(`(@(?:${sorted.join('|')}))`, 'g');
  const known = new Set(names.map((name) => `@${name}`));
  return body.split(pattern).filter(Boolean).map((text) => ({ text, mention: known.has(text) }));
}
