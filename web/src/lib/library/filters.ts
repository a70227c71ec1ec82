// Library filters live in the URL (shareable, back button works): folder, text, tag, kind and
// owner. Owner is applied in the browser (the list API filters the rest).
import {
  documentKindSchema,
  type DocumentKind,
  type Folder,
  type LibraryDocument,
  type LibraryQuery,
} from '@crewdeck/shared/library';

export type LibraryFilters = {
  /** A folder id, `root` for the top level, or null for every document. */
  folder: string | null;
  q: string;
  tag: string;
  kind: DocumentKind | '';
  owner: string;
};

export function filtersFromUrl(url: URL): LibraryFilters {
  const get = (key: string) => url.searchParams.get(key)?.trim() ?? '';
  const kind = documentKindSchema.safeParse(get('kind'));
  return {
    folder: get('folder') || null,
    q: get('q'),
    tag: get('tag'),
    kind: kind.success ? kind.data : '',
    owner: get('owner'),
  };
}

export function filtersToSearch(filters: LibraryFilters): string {
  const params = new URLSearchParams();
  if (filters.folder) params.set('folder', filters.folder);
  for (const key of ['q', 'tag', 'kind', 'owner'] as const) if (filters[key]) params.set(key, filters[key]);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function toQuery(filters: LibraryFilters): LibraryQuery {
  return {
    folderId: filters.folder ?? undefined,
    q: filters.q || undefined,
    tag: filters.tag || undefined,
    kind: filters.kind || undefined,
  };
}

/** Every tag and owner among the documents, for the filter menus. */
export function filterChoices(items: LibraryDocument[]): { tags: string[]; owners: { id: string; name: string }[] } {
  const tags = new Set<string>();
  const owners = new Map<string, string>();
  for (const item of items) {
    for (const tag of item.tags) tags.add(tag);
    if (item.owner) owners.set(item.owner.id, item.owner.name);
  }
  return {
    tags: [...tags].sort((a, b) => a.localeCompare(b)),
    owners: [...owners].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export type FolderNode = { folder: Folder; depth: number };

/** Folders in tree order (parents before children, siblings by name) with their depth. */
export function folderTree(folders: Folder[]): FolderNode[] {
  const ids = new Set(folders.map((f) => f.id));
  const children = new Map<string | null, Folder[]>();
  for (const folder of folders) {
    // A folder whose parent the caller cannot see shows at the top level.
    const parent = folder.parentId && ids.has(folder.parentId) ? folder.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), folder]);
  }
  const out: FolderNode[] = [];
  const walk = (parent: string | null, depth: number) => {
    const list = (children.get(parent) ?? []).toSorted((a, b) => a.name.localeCompare(b.name));
    for (const folder of list) {
      out.push({ folder, depth });
      walk(folder.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** "Specs / Q3" for a folder id. */
export function folderPath(folders: Folder[], folderId: string | null): string {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const names: string[] = [];
  let current = folderId ? byId.get(folderId) : undefined;
  while (current && names.length < 20) {
    names.unshift(current.name);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return names.join(' / ');
}
