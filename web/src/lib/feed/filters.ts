// The Feed page's view lives in the URL (`/feed?mine=true&project=<id>`), so it can be shared.

/** The Feed page's address for everything or "my assignments", optionally of one project. */
export function feedHref(mine: boolean, projectId: string): string {
  const params = new URLSearchParams();
  if (mine) params.set('mine', 'true');
  if (projectId) params.set('project', projectId);
  const text = params.toString();
  return text ? `/feed?${text}` : '/feed';
}
