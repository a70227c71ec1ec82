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
    .filter(
      (member) =>
        member.name
          .toLowerCase()
          .split(/\s+/)
          .some((part) => part.startsWith(query)) || member.name.toLowerCase().startsWith(query),
    )
    .slice(0, limit);
}

/** Replaces the `@word` at `at` with `@Name ` and returns the new text and caret. */
export function insertMention(text: string, at: MentionQuery, member: ProjectMember): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${member.name} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(end), caret: at.start + inserted.length };
}

/** Splits a comment body into text and highlighted mentions (`@login` or `@Full Name` of a member). */
export function splitMentions(body: string, names: string[]): { text: string; mention: boolean }[] {
  const escaped = [...names]
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<=^|\\s)(@(?:${[...escaped, '[\\p{L}\\p{N}._-]+'].join('|')}))`, 'gu');
  // With one capture group, `split` puts the matches at the odd indexes.
  return body
    .split(pattern)
    .map((text, index) => ({ text, mention: index % 2 === 1 }))
    .filter((part) => part.text !== '');
}
