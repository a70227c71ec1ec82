import type { HandleClientError } from '@sveltejs/kit/hooks';
import { handleError as toUserError } from '#lib/errors.ts';
import { applyDocumentLocale } from '#lib/i18n/locale.ts';
import { applyTheme, readTheme } from '#lib/i18n/theme.ts';

// Before the first render: <html lang dir> for the active locale and the remembered theme.
applyDocumentLocale();
applyTheme(readTheme());

// SvelteKit 3 sends every load/render error here. Expected errors (`error(403, …)`) and the
// framework's own (404) keep their status and message; anything else — an ApiError from a
// load, a bug — goes through the same handler as every API failure in the app.
export const handleError: HandleClientError = (input) => {
  if (input.kind !== 'unknown') return;
  const { message, code, status } = toUserError(input.error);
  return { message, code, status };
};
