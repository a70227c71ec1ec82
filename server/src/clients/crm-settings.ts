import mongoose from 'mongoose';
import {
  crmSettingsSchema,
  defaultCrmSettings,
  type ClientVisibility,
  type CrmSettings,
} from '@crewdeck/shared/clients';
import type { Role } from '@crewdeck/shared/permissions';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { AuthedContext } from '../http/context.ts';
import { ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';

interface CrmSettingsDoc {
  _id: string;
  settings: CrmSettings;
  updatedAt: Date;
}

const settingsSchema = new mongoose.Schema<CrmSettingsDoc>(
  {
    _id: { type: String, required: true },
    settings: { type: mongoose.Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'crm_settings', minimize: false },
);
const CrmSettingsModel = mongoose.model<CrmSettingsDoc>('CrmSettings', settingsSchema);
const SETTINGS_ID = 'crm';

/** How long another instance's change may take to be seen here. */
const REFRESH_MS = 2000;

/**
 * The CRM settings (one document), cached in memory: `can()` reads the visibility per role
 * synchronously, and every CRM service calls `fresh()` first, which re-reads the document at
 * most every two seconds so that several instances agree soon after a change.
 */
export class CrmSettingsStore {
  #settings: CrmSettings = structuredClone(defaultCrmSettings);
  #loadedAt = 0;

  async fresh(): Promise<CrmSettings> {
    if (Date.now() - this.#loadedAt < REFRESH_MS) return this.#settings;
    const doc = await CrmSettingsModel.findById(SETTINGS_ID).lean<CrmSettingsDoc>();
    const parsed = doc ? crmSettingsSchema.safeParse(doc.settings) : null;
    this.#settings = parsed?.success ? parsed.data : structuredClone(defaultCrmSettings);
    this.#loadedAt = Date.now();
    return this.#settings;
  }

  /** The last loaded settings (for synchronous readers such as `can()`). */
  get current(): CrmSettings {
    return this.#settings;
  }

  visibilityOf(role: Role): ClientVisibility {
    return this.#settings.visibility[role];
  }

  async save(settings: CrmSettings, session: mongoose.ClientSession): Promise<void> {
    await CrmSettingsModel.updateOne(
      { _id: SETTINGS_ID },
      { $set: { settings, updatedAt: new Date() } },
      { upsert: true, session },
    );
  }

  /** Called after the transaction committed. */
  remember(settings: CrmSettings): void {
    this.#settings = settings;
    this.#loadedAt = Date.now();
  }
}

/** `GET|PUT /api/crm/settings`: read by everyone with `client.read`, changed with `crm.settings`. */
export class CrmSettingsService {
  readonly #d: { store: CrmSettingsStore; access: AccessControl; audit: AuditWriter };

  constructor(deps: { store: CrmSettingsStore; access: AccessControl; audit: AuditWriter }) {
    this.#d = deps;
  }

  async get(ctx: AuthedContext) {
    await this.#d.access.authorize(ctx, 'client.read');
    const settings = await this.#d.store.fresh();
    return { settings, abilities: { update: this.#d.access.can(ctx.actor, 'crm.settings') } };
  }

  async put(ctx: AuthedContext, next: CrmSettings) {
    await this.#d.access.authorize(ctx, 'crm.settings');
    checkConsistent(next);
    const before = await this.#d.store.fresh();
    await this.#d.audit.write(ctx, async (session) => {
      await this.#d.store.save(next, session);
      const changes = (Object.keys(next) as (keyof CrmSettings)[])
        .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]))
        .map((field) => ({ field, from: before[field], to: next[field] }));
      return { result: undefined, audit: changes.length ? { action: 'crm.settings', changes } : null };
    });
    this.#d.store.remember(next);
    return { settings: next, abilities: { update: true } };
  }
}

function duplicated(keys: string[]): string | undefined {
  return keys.find((key, i) => keys.indexOf(key) !== i);
}

/** Keys unique per list, required custom fields defined, at least one open stage. */
function checkConsistent(s: CrmSettings): void {
  const fields: Record<string, string> = {};
  for (const list of ['statuses', 'sources', 'dealStages', 'interactionResults', 'customFields'] as const) {
    const twice = duplicated(s[list].map((item) => item.key));
    if (twice) fields[list] = `The key ${twice} is used twice`;
  }
  const custom = new Set(s.customFields.map((f) => f.key));
  for (const kind of ['company', 'person'] as const) {
    const unknown = s.required[kind].find((path) => path.startsWith('custom.') && !custom.has(path.slice(7)));
    if (unknown) fields[`required.${kind}`] = `${unknown} is not a custom field`;
  }
  s.customFields.forEach((f, i) => {
    if (f.type === 'select' && f.options.length === 0)
      fields[`customFields.${i}.options`] = 'A choice list needs options';
  });
  if (!s.dealStages.some((stage) => stage.outcome === 'open')) fields.dealStages = 'At least one stage must be open';
  if (!s.dealStages.some((stage) => stage.outcome === 'won')) fields.dealStages = 'One stage must mean won';
  if (Object.keys(fields).length) throw new ValidationError(fields, 'The settings are not consistent');
}
