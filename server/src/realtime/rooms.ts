/** Room names; never build them with template strings elsewhere. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /**
   * A user's library feed entries. Not `user(id)`: that room is joined at the handshake, before
   * the replay, so an entry published in between would arrive twice and out of order. This one
   * is joined under the publisher's lock right after the replay, like project rooms.
   */
  userFeed: (userId: string) => `feed:user:${userId}`,
  /**
   * Sockets replaying missed entries. Live `feed` broadcasts skip it (`except`): every entry is
   * stored before it is emitted, so the replay reads it from the store instead, in seq order.
   */
  replaying: 'feed:replaying',
  /** Sockets of users who may read the project: its feed and presence go here. */
  project: (projectId: string) => `project:${projectId}`,
  /** The project id of a project room name, or null for other rooms. */
  projectOf: (room: string): string | null => (room.startsWith('project:') ? room.slice('project:'.length) : null),
};
