/**
 * Every size, length and rate limit in one place, so the server's validation, the web
 * forms and the OpenAPI document agree.
 */
export const limits = {
  /** Largest accepted JSON request body, in the `bytes` library's notation. */
  jsonBody: '100kb',
  /** Longest display name. */
  nameMax: 120,
  /** Largest avatar image, in bytes (the web crops and scales before uploading). */
  avatarMaxBytes: 2 * 1024 * 1024,
  /** Longest phone number in a profile. */
  phoneMax: 40,
  /** Longest contact email in a profile. */
  contactEmailMax: 254,
  /** Longest login (an email address is the longest legal form). */
  loginMax: 254,
  /** Shortest acceptable password. */
  passwordMin: 10,
  /** Longest accepted password; argon2 cost grows with input, so cap it. */
  passwordMax: 256,
  /** Lowest strength estimate (zxcvbn score, 0–4) a new password must reach. */
  passwordMinScore: 3,
  /** Characters of a password the strength estimator looks at (its cost grows fast with length). */
  passwordEstimatedLength: 64,
  /** Longest group name. */
  groupNameMax: 80,
  /** Longest group description. */
  groupDescriptionMax: 500,
  /** Most groups a user may belong to. */
  groupsPerUserMax: 50,
  /** Most members set in one group request. */
  groupMembersMax: 1000,
  /** Default page size of paginated lists. */
  pageDefault: 50,
  /** Largest page size a client may ask for. */
  pageMax: 200,
  /** Most rows in one CSV export. */
  csvExportMax: 50_000,
  /** Failed logins for one account from one address before each further attempt waits. */
  loginFailuresPerClient: 5,
  /** First wait after `loginFailuresPerClient` failures, in seconds; it doubles with each further failure. */
  loginDelayFirstSeconds: 1,
  /** Longest wait between attempts for one account from one address, in seconds. */
  loginDelayMaxSeconds: 15 * 60,
  /** How long failures of one account from one address are remembered, in seconds. */
  loginClientWindowSeconds: 24 * 60 * 60,
  /** Failed logins for one account from all addresses in `loginAccountWindowSeconds` before it is locked. */
  loginFailuresPerAccount: 100,
  /** Window in which the failed logins of an account are counted, in seconds. */
  loginAccountWindowSeconds: 60 * 60,
  /** Failed logins from one IP address in `loginFailureWindowSeconds` before it is locked. */
  loginFailuresPerIp: 50,
  /** Window in which the failed logins of an IP address are counted, in seconds. */
  loginFailureWindowSeconds: 15 * 60,
  /** How long an account or IP address lockout lasts, in seconds. */
  loginLockoutSeconds: 15 * 60,
  /** Wrong current passwords on the password-change form before each further attempt waits (same delays as login). */
  passwordChangeFailures: 5,
  /** A session unused for this long ends, in seconds. */
  sessionIdleSeconds: 12 * 60 * 60,
  /** A session ends this long after login whatever happens, in seconds. */
  sessionAbsoluteSeconds: 30 * 24 * 60 * 60,
  /** Last-activity stamps are written at most this often per session, in seconds. */
  sessionTouchSeconds: 60,
  /** Longest period a time report may span, in days. */
  reportPeriodMaxDays: 366,
  /** Longest project name. */
  projectNameMax: 120,
  /** Longest description of a project, milestone or task. */
  descriptionMax: 20_000,
  /** Most members in one project. */
  projectMembersMax: 1000,
  /** Most task statuses a project may define. */
  statusesMax: 20,
  /** Deleted projects, milestones, tasks and comments stay restorable from the trash this many days, then are purged. */
  trashDays: 30,
  /** Longest milestone title. */
  milestoneTitleMax: 200,
  /** Longest task title. */
  taskTitleMax: 300,
  /** Most assignees on one task. */
  assigneesMax: 20,
  /** Most labels on one task. */
  labelsMax: 20,
  /** Longest label. */
  labelMax: 40,
  /** Largest task estimate, in hours. */
  estimateMaxHours: 10_000,
  /** Largest hourly rate. */
  hourlyRateMax: 1_000_000,
  /** Longest comment. */
  commentMax: 10_000,
  /** Most hours in one time log entry. */
  timeLogMaxHours: 24,
  /** Longest time log note. */
  timeLogNoteMax: 1000,
  /** Default daily capacity of a person, in hours (the calendar issue refines it per schedule). */
  dailyCapacityHours: 8,
  /** Longest period a workload query may span, in days. */
  workloadPeriodMaxDays: 92,
  /** Tasks due within this many hours raise a "due soon" notification. */
  dueSoonHours: 24,
  /** How often the due-soon/overdue sweep runs, in milliseconds. */
  dueSweepMs: 60_000,
  /** Most feed entries replayed on one resume; past it the client is told to refetch. */
  feedResumeMax: 5000,
  /**
   * Feed entries read and sent per page of a replay, without the publisher's lock; the lock is
   * taken only once at most this many sequence numbers remain (the final catch-up page).
   */
  feedReplayPage: 50,
  /**
   * After each page read without the lock, a replay pauses as long as reading and sending it
   * took (so replays use at most about half the event loop), but never longer than this, in ms.
   */
  feedReplayPauseMaxMs: 50,
  /** Unlocked rounds a replay makes to catch up with a busy feed before it settles under the lock anyway. */
  feedReplayRoundsMax: 8,
  /** Replays (on connect or `feed:resume`) one user may run at once on one server; more wait their turn. */
  feedReplaysPerUser: 2,
  /** `feed:resume` requests one user may make per window; past it they answer `rate_limited`. */
  feedResumesPerUser: 10,
  /** Window in which `feed:resume` requests are counted, in seconds. */
  feedResumeWindowSeconds: 10,
  /** Largest page of the feed or notifications. */
  feedPageMax: 500,
  /** Presence changes are batched per project for this long, in milliseconds. */
  presenceBatchMs: 1000,
  /** A presence batch with more changes than this only says "refetch". */
  presenceBatchMax: 50,
  /** Longest document title or folder name. */
  libraryTitleMax: 200,
  /** Longest tag. */
  libraryTagMax: 40,
  /** Most tags on one document. */
  libraryTagsMax: 20,
  /** Most access grants on one document or folder. */
  libraryGrantsMax: 200,
  /** Longest library search text. */
  librarySearchMax: 200,
  /** Default largest upload, in megabytes (`LIBRARY_MAX_UPLOAD_MB` overrides it). */
  libraryUploadMbDefault: 25,
  /** Longest stored plain text of a document used for search, in characters. */
  libraryPlainTextMax: 1_000_000,
  /** A document idle this long after edits gets an automatic version, in milliseconds. */
  versionIdleMs: 120_000,
  /** Largest Yjs message accepted on a co-editing connection, in bytes. */
  collabMessageMax: 10 * 1024 * 1024,
  /** Most co-editing connections one user may hold open at once (per server instance). */
  collabConnectionsPerUser: 20,
  /** Most awareness client ids one co-editing connection may introduce (a stock client uses one). */
  collabClientIdsPerConnection: 4,
} as const;
