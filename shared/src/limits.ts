/**
 * Every size, length and rate limit in one place, so the server's validation, the web
 * forms and the OpenAPI document agree.
 */
export const limits = {
  /** Largest accepted JSON request body, in the `bytes` library's notation. */
  jsonBody: '100kb',
  /** Longest display name. */
  nameMax: 120,
  /** Longest login (an email address is the longest legal form). */
  loginMax: 254,
  /** Shortest acceptable password. */
  passwordMin: 10,
  /** Longest accepted password; argon2 cost grows with input, so cap it. */
  passwordMax: 256,
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
  /** Failed logins for one account before it is locked. */
  loginFailuresPerAccount: 5,
  /** Failed logins from one IP address before it is locked. */
  loginFailuresPerIp: 50,
  /** Window in which failed logins are counted, in seconds. */
  loginFailureWindowSeconds: 15 * 60,
  /** How long a lockout lasts, in seconds. */
  loginLockoutSeconds: 15 * 60,
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
} as const;
