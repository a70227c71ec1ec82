// The Profile page: an editable copy of the own profile, saved as a patch of what changed, and
// the avatar set or removed on its own. A new language reloads the page in it; a new theme
// applies at once; every other field shows the saved value.
import { untrack } from 'svelte';
import { invalidate } from '$app/navigation';
import { profileEndpoints, profileResponseSchema, type Profile } from '@crewdeck/shared/users';
import { call, urlOf } from '../api.ts';
import { ApiError, parseErrorBody } from '../errors.ts';
import { FormState } from '../form.svelte.ts';
import { changeLocale, currentLocale } from '../i18n/locale.ts';
import { changeTheme } from '../i18n/theme.ts';
import { m } from '../paraglide/messages.js';
import { confirmAction } from '../ui/confirm.svelte.ts';
import { cropAvatar, profileToForm, toUpdateProfile, validateProfile, type ProfileFormValues } from './profile.ts';

async function putAvatar(image: Blob): Promise<Profile> {
  const body = new FormData();
  body.append('file', image, 'avatar.png');
  let response: Response;
  try {
    response = await fetch(urlOf(profileEndpoints.uploadAvatar), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body,
    });
  } catch (cause) {
    throw new ApiError(0, 'network', '', undefined, { cause });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw parseErrorBody(response.status, payload);
  const parsed = profileResponseSchema.safeParse(payload);
  if (!parsed.success) throw new ApiError(200, 'bad_response', '', undefined, { cause: parsed.error });
  return parsed.data.profile;
}

export class ProfileEditor {
  /** The profile form: busy while saving, its error, field errors and notice. */
  readonly form = new FormState();
  /** The avatar's own state (upload and removal run apart from the form). */
  readonly avatarForm = new FormState();
  /** The profile as last saved. */
  saved = $state.raw<Profile>() as Profile;
  /** The form as edited. */
  values = $state<ProfileFormValues>() as ProfileFormValues;

  constructor(loaded: () => Profile) {
    this.saved = untrack(loaded);
    this.values = profileToForm(this.saved);
  }

  dirty = $derived.by(() => Object.keys(toUpdateProfile(this.saved, this.values)).length > 0);

  async save(): Promise<void> {
    if (!this.form.validate(validateProfile(this.values))) return;
    const patch = toUpdateProfile(this.saved, this.values);
    await this.form.run(async () => {
      this.saved = (await call(profileEndpoints.update, { body: patch })).profile;
      this.values = profileToForm(this.saved);
      if (patch.theme) changeTheme(patch.theme);
      await invalidate('app:me');
      if (this.saved.language && this.saved.language !== currentLocale()) changeLocale(this.saved.language);
      return m.adm_profile_saved();
    });
  }

  discard(): void {
    this.form.reset();
    this.values = profileToForm(this.saved);
  }

  async uploadAvatar(file: File): Promise<void> {
    await this.avatarForm.run(async () => {
      this.saved = await putAvatar(await cropAvatar(file));
      await invalidate('app:me');
      return m.adm_avatar_saved();
    });
  }

  async removeAvatar(): Promise<void> {
    const confirmed = await confirmAction({
      title: m.adm_avatar_remove(),
      message: m.adm_avatar_remove_confirm(),
      confirmLabel: m.adm_avatar_remove(),
      danger: true,
    });
    if (!confirmed) return;
    await this.avatarForm.run(async () => {
      this.saved = (await call(profileEndpoints.removeAvatar)).profile;
      await invalidate('app:me');
      return m.adm_avatar_removed();
    });
  }
}
