// The saves the client form runs: create (with the manager when the person may assign) and
// update; "Create anyway" adds `force` and the reason the journal keeps.
import { clientEndpoints, type CrmSettings } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import type { SaveClient } from './client-form.svelte.ts';
import { createBody, updateBody } from './draft.ts';

const forced = (force?: { reason: string }) =>
  force ? { force: true, ...(force.reason ? { forceReason: force.reason } : {}) } : {};

export function createClient(settings: CrmSettings, canAssign: boolean): SaveClient {
  return async (draft, force) => {
    const body = { ...createBody(draft, settings, canAssign), ...forced(force) };
    return (await call(clientEndpoints.create, { body })).client;
  };
}

export function updateClient(id: string, settings: CrmSettings): SaveClient {
  return async (draft, force) => {
    const body = { ...updateBody(draft, settings), ...forced(force) };
    return (await call(clientEndpoints.update, { params: { id }, body })).client;
  };
}
