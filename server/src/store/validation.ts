import type { Document } from 'bson';
import type { Collection } from './collection.ts';
import { StoreError, badValue, notSupported } from './errors.ts';
import { compileFilter } from './mingo-adapter.ts';

/** The validation options a collection may carry (create / collMod), checked as MongoDB 7.0 does. */
export const VALIDATION_OPTIONS = ['validator', 'validationLevel', 'validationAction'] as const;

const LEVELS = new Set(['off', 'strict', 'moderate']);
const ACTIONS = new Set(['error', 'warn']);

function mentionsJsonSchema(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsJsonSchema);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).some(([k, v]) => k === '$jsonSchema' || mentionsJsonSchema(v));
}

/**
 * Checks `validator` / `validationLevel` / `validationAction` of a create or collMod. Query
 * validators are enforced; `$jsonSchema` is refused by name (the store has no JSON Schema engine).
 */
export function checkValidationOptions(options: Document): void {
  const { validator, validationLevel, validationAction } = options;
  if (validator !== undefined) {
    if (validator === null || typeof validator !== 'object' || Array.isArray(validator))
      throw new StoreError(14, 'TypeMismatch', "BSON field 'validator' is the wrong type, expected type 'object'");
    if (mentionsJsonSchema(validator))
      throw notSupported(
        "validator '$jsonSchema' is not supported by the Crewdeck embedded store (use a query validator)",
      );
    try {
      compileFilter(validator as Document);
    } catch (err) {
      throw badValue(`invalid validator: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (validationLevel !== undefined && !LEVELS.has(validationLevel as string))
    throw badValue(`Enumeration value '${String(validationLevel)}' for field 'validationLevel' is not a valid value.`);
  if (validationAction !== undefined && !ACTIONS.has(validationAction as string))
    throw badValue(
      `Enumeration value '${String(validationAction)}' for field 'validationAction' is not a valid value.`,
    );
}

/**
 * Enforces the collection's validator on a document about to be written. `before` is the
 * document it replaces (undefined for an insert): with validationLevel 'moderate' an update of a
 * document that already failed validation is let through, as in MongoDB. validationAction 'warn'
 * writes anyway (MongoDB only logs).
 */
export function validateDocument(coll: Collection, doc: Document, before: Document | undefined, bypass: boolean): void {
  const validator = coll.options.validator as Document | undefined;
  if (!validator || bypass || Object.keys(validator).length === 0) return;
  const level = (coll.options.validationLevel as string | undefined) ?? 'strict';
  const action = (coll.options.validationAction as string | undefined) ?? 'error';
  if (level === 'off' || action === 'warn') return;
  const query = compileFilter(validator);
  if (query.test(doc)) return;
  if (level === 'moderate' && before && !query.test(before)) return;
  throw new StoreError(121, 'DocumentValidationFailure', 'Document failed validation', {
    errInfo: {
      failingDocumentId: doc._id,
      details: { operatorName: '$and', specifiedAs: validator, reason: 'the document does not match the validator' },
    },
  });
}
