/** Room names; never build them with template strings elsewhere. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /** Sockets of users who may read the project: its feed and presence go here. */
  project: (projectId: string) => `project:${projectId}`,
  /** The project id of a project room name, or null for other rooms. */
  projectOf: (room: string): string | null => (room.startsWith('project:') ? room.slice('project:'.length) : null),
};
