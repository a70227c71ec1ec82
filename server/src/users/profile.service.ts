import { fileTypeFromBuffer } from 'file-type';
import type { ClientSession } from 'mongoose';
import { Readable } from 'node:stream';
import type { NotificationKind } from '@crewdeck/shared/notifications';
import { notificationKinds } from '@crewdeck/shared/notifications';
import type { ProfileResponse, UpdateProfile } from '@crewdeck/shared/users';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, PayloadTooLargeError, UnauthenticatedError, ValidationError } from '../http/errors.ts';
import type { IncomingFile } from '../http/multipart.ts';
import type { FilePayload } from '../http/route.ts';
import type { AvatarsRepository } from './avatars.repository.ts';
import type { DirectoryService } from './directory.service.ts';
import type { UserDoc } from './users.model.ts';
import { presentProfile } from './users.presenter.ts';
import type { ProfileChanges, UsersRepository } from './users.repository.ts';
import { auditPerson } from './user-status.ts';

export interface ProfileServiceDeps {
  users: UsersRepository;
  avatars: AvatarsRepository;
  directory: DirectoryService;
  audit: AuditWriter;
  /** Largest avatar, in bytes. */
  maxAvatarBytes: number;
}

/** Starts reading the uploaded image, allowing at most `maxBytes` (the HTTP layer parses the request). */
export type ReceiveImage = (maxBytes: number) => Promise<IncomingFile>;

const avatarTypes: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp']);
const avatarCsp = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
const audited: Array<keyof ProfileChanges & string> = [
  'name',
  'timeZone',
  'language',
  'theme',
  'notificationsOff',
  'phone',
  'email',
];

/** The signed-in user's own profile: no permission needed, and only ever their own record. */
export class ProfileService {
  readonly #d: ProfileServiceDeps;

  constructor(deps: ProfileServiceDeps) {
    this.#d = deps;
  }

  async get(ctx: AuthedContext): Promise<ProfileResponse> {
    return { profile: presentProfile(await this.#self(ctx)) };
  }

  async update(ctx: AuthedContext, input: UpdateProfile): Promise<ProfileResponse> {
    const user = await this.#self(ctx);
    const changes = changesOf(user, input);
    const updated = await this.#write(ctx, user, changes);
    return { profile: presentProfile(updated) };
  }

  /** Re-checks what the web cropped: the bytes must be PNG, JPEG or WebP, and small. */
  async uploadAvatar(ctx: AuthedContext, receive: ReceiveImage): Promise<ProfileResponse> {
    const user = await this.#self(ctx);
    const data = await readAll(await receive(this.#d.maxAvatarBytes));
    const type = (await fileTypeFromBuffer(data))?.mime;
    if (!type || !avatarTypes.has(type)) throw new ValidationError({ file: 'Use a PNG, JPEG or WebP image' });
    const updatedAt = new Date();
    const avatar = { contentType: type, size: data.length, updatedAt };
    const updated = await this.#write(ctx, user, { avatar }, async (session) => {
      await this.#d.avatars.put(user._id.toHexString(), { contentType: type, data, updatedAt }, session);
    });
    return { profile: presentProfile(updated) };
  }

  async removeAvatar(ctx: AuthedContext): Promise<ProfileResponse> {
    const user = await this.#self(ctx);
    if (!user.avatar) return { profile: presentProfile(user) };
    const updated = await this.#write(ctx, user, { avatar: null }, async (session) => {
      await this.#d.avatars.remove(user._id.toHexString(), session);
    });
    return { profile: presentProfile(updated) };
  }

  /** Anyone who may see the user gets their avatar; others get 404 as for a user without one. */
  async avatar(ctx: AuthedContext, userId: string): Promise<FilePayload> {
    if (!(await this.#d.directory.maySee(ctx.actor, userId))) throw new NotFoundError('Avatar');
    const image = await this.#d.avatars.find(userId);
    if (!image) throw new NotFoundError('Avatar');
    const ext = image.contentType.split('/')[1] ?? 'img';
    return {
      filename: `avatar.${ext}`,
      contentType: image.contentType,
      size: image.data.length,
      stream: Readable.from([image.data]),
      inline: { csp: avatarCsp },
    };
  }

  async #self(ctx: AuthedContext): Promise<UserDoc> {
    const user = await this.#d.users.findById(ctx.actor.id);
    if (!user) throw new UnauthenticatedError();
    return user;
  }

  async #write(
    ctx: AuthedContext,
    user: UserDoc,
    changes: ProfileChanges,
    extra?: (session: ClientSession) => Promise<void>,
  ): Promise<UserDoc> {
    if (Object.keys(changes).length === 0) return user;
    return this.#d.audit.write(ctx, async (session) => {
      await extra?.(session);
      const next = await this.#d.users.updateProfile(user._id.toHexString(), changes, session);
      if (!next) throw new UnauthenticatedError();
      const fieldChanges = diffFields(user, next, audited);
      if (changes.avatar !== undefined) fieldChanges.push({ field: 'avatar', from: !!user.avatar, to: !!next.avatar });
      return {
        result: next,
        audit: {
          action: 'profile.update' as const,
          permission: null,
          affectedUser: auditPerson(user),
          code: user.code,
          changes: fieldChanges,
        },
      };
    });
  }
}

/** The fields of the patch that change something; notification kinds merge into the stored ones. */
function changesOf(user: UserDoc, input: UpdateProfile): ProfileChanges {
  const out: ProfileChanges = {};
  if (input.name !== undefined && input.name !== user.name) out.name = input.name;
  if (input.timeZone !== undefined && input.timeZone !== (user.timeZone ?? null)) out.timeZone = input.timeZone;
  if (input.language !== undefined && input.language !== (user.language ?? null)) out.language = input.language;
  if (input.theme !== undefined && input.theme !== (user.theme ?? 'system')) out.theme = input.theme;
  if (input.phone !== undefined && input.phone !== (user.phone ?? '')) out.phone = input.phone;
  if (input.email !== undefined && input.email !== (user.email ?? '')) out.email = input.email;
  if (input.notifications) {
    const before = new Set<NotificationKind>(user.notificationsOff ?? []);
    const off = notificationKinds.filter((k) =>
      input.notifications?.[k] === undefined ? before.has(k) : !input.notifications[k],
    );
    if (off.join() !== notificationKinds.filter((k) => before.has(k)).join()) out.notificationsOff = off;
  }
  return out;
}

/** The whole (small) file; 413 once it passes the limit, 400 for a malformed body. */
async function readAll(incoming: IncomingFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of incoming.stream) parts.push(Buffer.from(chunk as Uint8Array));
  await incoming.finished;
  if (incoming.truncated()) throw new PayloadTooLargeError();
  return Buffer.concat(parts);
}
