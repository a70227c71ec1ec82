// The one search box (issue 13, section 5): one query across clients, contacts, deals,
// interactions, tasks, library documents and people, each result already filtered by what the
// caller may see. Powers the command palette.
import { z } from 'zod';
import { idSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { queryText } from './text.ts';

/** What a result can be, in the order the palette groups them. */
export const searchResultKinds = ['client', 'contact', 'deal', 'interaction', 'task', 'document', 'person'] as const;
export const searchResultKindSchema = z.enum(searchResultKinds);
export type SearchResultKind = z.infer<typeof searchResultKindSchema>;

export const searchLimits = {
  /** Longest query; a longer one is refused (400), never truncated silently. */
  queryMax: 200,
  /** Most results per call. */
  limitMax: 50,
  limitDefault: 20,
} as const;

const kindListSchema = z
  .string()
  .transform((v) => [...new Set(v.split(',').filter(Boolean))])
  .pipe(z.array(searchResultKindSchema).min(1).max(searchResultKinds.length));

/** `GET /api/search` query. */
export const searchQuerySchema = z.strictObject({
  /** What was typed: words, a phone number in any format or a fragment of 4+ digits, an e-mail, a code. */
  q: queryText(searchLimits.queryMax),
  /** Only these kinds, comma-separated (default: all). */
  kinds: kindListSchema.optional(),
  /** Most results overall. */
  limit: z.coerce.number().int().min(1).max(searchLimits.limitMax).optional(),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const searchResultSchema = z.object({
  kind: searchResultKindSchema,
  /** The record's id (for a person, the user id). */
  id: idSchema,
  /** First line: the name, title or subject. */
  title: z.string(),
  /** Second line: what distinguishes it (phone, company, project code, login). */
  subtitle: z.string(),
  /** Where the web opens it. */
  href: z.string(),
  /** The client it belongs to, for CRM kinds (the kept one after a merge); null otherwise. */
  clientId: idSchema.nullable(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.object({
  /** Best first within each kind, kinds in `searchResultKinds` order. */
  results: z.array(searchResultSchema),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const searchEndpoints = defineEndpoints({
  search: {
    method: 'get',
    path: '/api/search',
    tag: 'search',
    query: searchQuerySchema,
    response: searchResponseSchema,
    summary:
      'One search box: clients, contacts, deals, interactions, tasks, documents and people the caller may see; phones in any format',
  },
});
