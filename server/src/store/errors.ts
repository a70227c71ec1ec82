/** A MongoDB-shaped command error: the driver reads `code`, `codeName` and `errmsg`. */
export class StoreError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly labels: string[];
  readonly extra: Record<string, unknown>;

  constructor(
    code: number,
    codeName: string,
    message: string,
    extra: Record<string, unknown> = {},
    labels: string[] = [],
  ) {
    super(message);
    this.code = code;
    this.codeName = codeName;
    this.extra = extra;
    this.labels = labels;
  }

  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }
}

export const badValue = (message: string) => new StoreError(2, 'BadValue', message);
export const failedToParse = (message: string) => new StoreError(9, 'FailedToParse', message);
export const typeMismatch = (message: string) => new StoreError(14, 'TypeMismatch', message);
export const namespaceNotFound = (ns: string) => new StoreError(26, 'NamespaceNotFound', `ns does not exist: ${ns}`);
export const pathNotViable = (message: string) => new StoreError(28, 'PathNotViable', message);
export const conflictingUpdate = (message: string) => new StoreError(40, 'ConflictingUpdateOperators', message);
export const namespaceExists = (ns: string) =>
  new StoreError(48, 'NamespaceExists', `Collection ${ns} already exists.`);
export const commandNotFound = (name: string) => new StoreError(59, 'CommandNotFound', `no such command: '${name}'`);
export const immutableField = (message: string) => new StoreError(66, 'ImmutableField', message);
export const indexSpecsConflict = (message: string) => new StoreError(86, 'IndexKeySpecsConflict', message);
export const notSupported = (message: string) => new StoreError(115, 'CommandNotSupported', message);
export const writeConflict = () =>
  new StoreError(
    112,
    'WriteConflict',
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    {},
    ['TransientTransactionError'],
  );
export const noSuchTransaction = (txnNumber: string) =>
  new StoreError(251, 'NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, [
    'TransientTransactionError',
  ]);
export const cursorNotFound = (id: string) => new StoreError(43, 'CursorNotFound', `cursor id ${id} not found`);
export const updateTooLarge = () =>
  new StoreError(17419, 'Location17419', 'Resulting document after update is larger than 16777216');
export const tooLarge = (size: number) =>
  new StoreError(
    10334,
    'BSONObjectTooLarge',
    `BSONObj size: ${size} is invalid. Size must be between 0 and 16793600(16MB)`,
  );

/** Maps whatever a library threw (mingo errors included) to a MongoDB-shaped error, never a crash. */
export function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return badValue(err instanceof Error ? err.message : String(err));
}
