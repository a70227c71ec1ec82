// A small but complete workspace for looking at every page (screenshots, accessibility checks):
// a project with a milestone, tasks (one with Markdown, one deleted), a comment, a Lead, library
// documents (one in the trash), a group and calendar events (one recurring, one all-day). Seeded
// through the real API as the Owner.
import type { BrowserContext } from 'playwright-core';
import { createPerson, seed, type Workspace } from './support.ts';

/** A page to visit: a short name (for files and messages) and its path. */
export type ShowcasePage = { name: string; url: string };

export async function seedShowcase(ws: Workspace, admin: BrowserContext): Promise<ShowcasePage[]> {
  const lena = await createPerson(ws.browser, ws.url, admin, {
    name: 'Лена Петрова',
    login: 'lena',
    role: 'Lead',
    password: 'Lena-showcase-password-1',
  });
  await lena.context.close();
  const project = await seed.project(admin, 'Website relaunch', 'WEB', 'The new site, in three languages.');
  await seed.member(admin, project.id, lena.person.id, 'lead');
  const milestone = await seed.milestone(admin, project.id, {
    title: 'Beta',
    startDate: '2026-11-20',
    dueDate: '2026-12-20',
  });
  const task = await seed.task(admin, project.id, {
    title: 'Write the launch checklist',
    description: '## Steps\n\n- **Review** the copy\n- Check [the staging site](https://example.com)',
    estimate: 6,
    startDate: '2026-11-30',
    dueDate: '2026-12-08',
    milestoneId: milestone.id,
    assignees: [lena.person.id],
  });
  await seed.task(admin, project.id, { title: 'Перевести интерфейс', estimate: 3, dueDate: '2026-12-04' });
  await seed.comment(admin, task.id, 'Looks good — @lena please check the RTL layout.');
  const removed = await seed.task(admin, project.id, { title: 'Old idea' });
  await admin.request.delete(`/api/tasks/${removed.id}`);
  const doc = await admin.request.post('/api/library/documents', { data: { title: 'Onboarding guide' } });
  const docId = ((await doc.json()) as { id: string }).id;
  const gone = await admin.request.post('/api/library/documents', { data: { title: 'Draft to delete' } });
  await admin.request.delete(`/api/library/documents/${((await gone.json()) as { id: string }).id}`);
  await admin.request.post('/api/groups', { data: { name: 'Sales', members: [lena.person.id] } });
  // Calendar: a weekly meeting with Lena, a one-off event and an all-day one (`force`: the
  // showcase is about the pages, not about working hours).
  const event = (data: Record<string, unknown>) =>
    admin.request.post('/api/calendar/events', { data: { timeZone: 'Europe/Moscow', force: true, ...data } });
  // Relative to this week, so the calendar page shows them whenever the showcase runs.
  const DAY = 86_400_000;
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00.000Z');
  const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY);
  const at = (days: number, hhmm: string) =>
    new Date(monday.getTime() + days * DAY).toISOString().slice(0, 11) + `${hhmm}:00.000Z`;
  const day = (days: number) => new Date(monday.getTime() + days * DAY).toISOString().slice(0, 10);
  await event({
    title: 'Weekly planning',
    start: at(0, '07:00'),
    end: at(0, '08:00'),
    rrule: 'FREQ=WEEKLY;COUNT=8',
    attendees: [lena.person.id],
  });
  await event({ title: 'Release rehearsal', start: at(3, '11:00'), end: at(3, '13:30') });
  await event({ title: 'Design review', start: at(1, '13:00'), end: at(1, '14:00'), attendees: [lena.person.id] });
  await event({ title: 'Company offsite', start: day(2), end: day(4), allDay: true });
  const crm = await seedCrm(admin, lena.person.id);
  await ws.server.crm.sweepDuplicates();

  return [
    { name: 'feed', url: '/feed' },
    { name: 'projects', url: '/projects' },
    { name: 'board', url: `/projects/${project.id}` },
    { name: 'list', url: `/projects/${project.id}/list` },
    { name: 'task', url: `/projects/${project.id}/tasks/${task.id}` },
    { name: 'timeline', url: `/projects/${project.id}/timeline` },
    { name: 'members', url: `/projects/${project.id}/members` },
    { name: 'billing', url: `/projects/${project.id}/billing` },
    { name: 'project-trash', url: `/projects/${project.id}/trash` },
    { name: 'library', url: '/library' },
    { name: 'library-trash', url: '/library/trash' },
    { name: 'document', url: `/library/${docId}` },
    { name: 'admin-users', url: '/admin/users' },
    { name: 'admin-groups', url: '/admin/groups' },
    { name: 'admin-roles', url: '/admin/roles' },
    { name: 'admin-audit', url: '/admin/audit' },
    { name: 'profile', url: '/profile' },
    { name: 'people', url: '/people' },
    { name: 'calendar', url: '/calendar' },
    { name: 'calendar-team', url: '/calendar/team' },
    { name: 'calendar-schedule', url: '/calendar/schedule' },
    { name: 'calendar-absences', url: '/calendar/absences' },
    { name: 'calendar-google', url: '/calendar/google' },
    { name: 'calendar-subscribe', url: '/calendar/subscribe' },
    { name: 'clients', url: '/clients' },
    { name: 'client', url: `/clients/${crm.clientId}` },
    { name: 'client-new', url: '/clients/new' },
    { name: 'clients-duplicates', url: '/clients/duplicates' },
    { name: 'clients-merge', url: `/clients/merge?keep=${crm.clientId}&merge=${crm.duplicateId}` },
    { name: 'clients-merges', url: '/clients/merges' },
    { name: 'clients-quality', url: '/clients/quality' },
    { name: 'clients-import', url: '/clients/import' },
    { name: 'deals', url: '/deals' },
    { name: 'mailing', url: '/mailing' },
    { name: 'admin-crm', url: '/admin/crm' },
    { name: 'reports', url: '/reports' },
  ];
}

/** CRM: companies and a person with contacts, deals at several stages, a logged call, a likely duplicate. */
async function seedCrm(admin: BrowserContext, leadId: string): Promise<{ clientId: string; duplicateId: string }> {
  const post = async (path: string, data: Record<string, unknown>) => {
    const res = await admin.request.post(path, { data });
    if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as Record<string, { id: string }>;
  };
  const romashka = (
    await post('/api/clients', {
      kind: 'company',
      name: 'Ромашка',
      legalName: 'Ромашка',
      legalForm: 'ООО',
      phones: [{ value: '+7 (912) 345-67-89', kind: 'work' }],
      emails: [{ value: 'office@romashka.example', kind: 'work' }],
      website: 'https://romashka.example',
      address: 'Москва, ул. Ленина, 1',
      tags: ['vip'],
      source: 'referral',
      managerId: leadId,
    })
  ).client;
  await post(`/api/clients/${romashka.id}/contacts`, {
    name: 'Ольга Смирнова',
    position: 'Финансовый директор',
    phones: [{ value: '8 916 123-45-67', kind: 'mobile' }],
    emails: [{ value: 'olga@romashka.example', kind: 'work' }],
  });
  const parsa = (
    await post('/api/clients', {
      kind: 'company',
      name: 'Parsa Trading',
      legalForm: 'LLC',
      phones: [{ value: '0912 345 6789', kind: 'work' }],
      emails: [{ value: 'info@parsa.example', kind: 'work' }],
      status: 'active',
    })
  ).client;
  await post('/api/clients', {
    kind: 'person',
    name: 'Emma Schulz',
    phones: [{ value: '+49 30 123456', kind: 'mobile' }],
    emails: [{ value: 'emma@schulz.example', kind: 'personal' }],
  });
  // Typed again by someone else, in another format: created anyway, so the review queue has a pair.
  const duplicate = (
    await post('/api/clients', {
      kind: 'company',
      name: 'Romashka LLC',
      phones: [{ value: '8 912 345 67 89', kind: 'work' }],
      force: true,
      forceReason: 'Showcase',
    })
  ).client;
  await post('/api/deals', { title: 'Годовой контракт', clientId: romashka.id, amount: 120_000_00, currency: 'RUB' });
  await post('/api/deals', {
    title: 'Pilot',
    clientId: parsa.id,
    amount: 5_000_00,
    currency: 'USD',
    stage: 'proposal',
  });
  await post('/api/interactions', {
    clientId: romashka.id,
    kind: 'call',
    direction: 'outbound',
    durationMinutes: 12,
    subject: 'Обсудили условия',
    result: 'taken_into_work',
  });
  await post('/api/interactions', { clientId: parsa.id, kind: 'meeting', subject: 'Kick-off', result: 'completed' });
  await post('/api/segments', { name: 'VIP', filters: { tag: 'vip' } });
  return { clientId: romashka.id, duplicateId: duplicate.id };
}
