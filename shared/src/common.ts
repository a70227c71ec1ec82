import { z } from 'zod';

/** A database identifier: 24 hexadecimal characters. */
export const idSchema = z.string().regex(/^[0-9a-f]{24}$/, 'Must be a 24-character hex id');

/** An instant as an ISO 8601 string with offset, e.g. `2026-01-31T09:00:00.000Z`. */
export const dateTimeSchema = z.iso.datetime({ offset: true });

/** A human document code such as `USR-12` or `GRP-3`. */
export const docCodeSchema = z.string().regex(/^[A-Z]{2,8}-\d+$/, 'Must look like USR-12');

/** Route parameter `:id`. */
export const idParamsSchema = z.object({
  /** Identifier of the addressed resource. */
  id: idSchema,
});

/** An instant as accepted in query strings: a full ISO datetime or a plain date (`2026-01-31`). */
export const queryInstantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** The answer of writes that return nothing else. */
export const okSchema = z.object({
  /** Always true. */
  ok: z.literal(true),
});

export type Id = z.infer<typeof idSchema>;
