/** A session's span as far as time in the system is concerned. */
export interface SessionSpan {
  userId: string;
  start: Date;
  /** Logout/end, or the last activity of a session still open. */
  end: Date;
}

/**
 * Seconds each user spent signed in within [from, to). Spans are clipped to the period and
 * overlapping sessions of one user (two devices) are counted once.
 */
export function timeInSystem(
  spans: SessionSpan[],
  from: Date,
  to: Date,
): Map<string, { seconds: number; sessions: number }> {
  const byUser = new Map<string, [number, number][]>();
  for (const span of spans) {
    const start = Math.max(span.start.getTime(), from.getTime());
    const end = Math.min(span.end.getTime(), to.getTime());
    if (end < start) continue;
    const list = byUser.get(span.userId) ?? [];
    list.push([start, end]);
    byUser.set(span.userId, list);
  }
  const result = new Map<string, { seconds: number; sessions: number }>();
  for (const [userId, intervals] of byUser) {
    intervals.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [curStart, curEnd] = intervals[0];
    for (const [start, end] of intervals.slice(1)) {
      if (start <= curEnd) {
        curEnd = Math.max(curEnd, end);
        continue;
      }
      total += curEnd - curStart;
      [curStart, curEnd] = [start, end];
    }
    total += curEnd - curStart;
    result.set(userId, { seconds: Math.floor(total / 1000), sessions: intervals.length });
  }
  return result;
}
