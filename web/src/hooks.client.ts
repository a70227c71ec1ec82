import type { HandleClientError } from '@sveltejs/kit/hooks';
import { handleError as toUserError } from '#lib/errors.ts';

// Unexpected load/render errors go through the same handler as every API failure.
export const handleError: HandleClientError = ({ error }) => {
  const { message, code } = toUserError(error);
  return { message, code };
};
