/**
 * Wraps an async check so that a burst costs two calls, not one per caller: the first caller
 * starts a call; callers arriving while it runs share the next one, which starts once it is
 * done. Every caller still gets the result of a call that started after it asked.
 */
export function coalesce<T>(check: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const call: Promise<T> = check().finally(() => {
      if (running === call) running = null;
    });
    running = call;
    return call;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
