// Shared set-up for the request API tests: the real service on a fresh database, three people
// (two agents and a supervisor), calls inserted as rows when a test only needs a call, and small
// readers for the journal.
import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../helpers/app';

export interface Person {
  id: string;
  token: string;
  login: string;
}

export interface Desk extends TestApp {
  /** Agent on extension 101. */
  ivanov: Person;
  /** Agent on extension 102. */
  petrov: Person;
  /** Supervisor on extension 201. */
  boss: Person;
}

export async function desk(t: Parameters<typeof buildTestApp>[0], opts: Parameters<typeof buildTestApp>[1] = {}): Promise<Desk> {
  const h = await buildTestApp(t, { connectPbx: Boolean(opts.pbx?.length), ...opts });
  const person = async (login: string, ext: string, role: 'agent' | 'supervisor') => ({ login, ...(await h.agent(login, ext, role)) });
  return Object.assign(h, {
    ivanov: await person('ivanov', '101', 'agent'),
    petrov: await person('petrov', '102', 'agent'),
    boss: await person('boss', '201', 'supervisor'),
  });
}

/** Every page of a request list (GET /api/tickets?<query>) as the supervisor, followed by cursor: the ids in order. */
export async function allPages(h: Desk, query: string, limit = 50): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await h.request('GET', `/api/tickets?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, h.boss.token);
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
    seen.push(...res.body.items.map((i: any) => i.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

export interface CallInit {
  answeredBy?: Person | null;
  callerNumber?: string | null;
  startedAt?: Date;
  afterHours?: boolean;
  /** Open the call's draft too, as ingestion does for a support-line call (assigned to who answered). */
  draft?: boolean;
}

/** A finished support-line call stored as ingestion would store it; returns its id and its draft's. */
export async function insertCall(h: Desk, init: CallInit = {}): Promise<{ callId: string; draftId: string | null }> {
  const callId = randomUUID();
  const startedAt = init.startedAt ?? new Date();
  const answered = init.answeredBy ?? null;
  const caller = init.callerNumber === undefined ? '+79111234567' : init.callerNumber;
  await h.app.ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, did, started_at,
                       answered_at, ended_at, outcome, answered_by, answered_by_extension, owner_extension, after_hours, agent_ids)
     VALUES ($1, 'main', $2, 'inbound', true, $3, $3, '+79219416004', $4, $5, $6, $7, $8, $9, $9, $10, $11::uuid[])`,
    [
      callId,
      `lid-${callId}`,
      caller,
      startedAt,
      answered ? new Date(startedAt.getTime() + 5_000) : null,
      new Date(startedAt.getTime() + 60_000),
      answered ? 'answered' : 'missed',
      answered?.id ?? null,
      answered ? extensionOf(h, answered) : null,
      init.afterHours ?? false,
      answered ? [answered.id] : [],
    ],
  );
  if (init.draft === false) return { callId, draftId: null };
  const draftId = randomUUID();
  await h.app.ds.query(
    `INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, assignees, callback_needed, created_at, updated_at)
     VALUES ($1, 'draft', 'phone', $2, $3, $4::uuid[], $5, $6, $6)`,
    [draftId, caller, callId, answered ? [answered.id] : [], !answered, startedAt],
  );
  await h.app.ds.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3)`, [draftId, callId, startedAt]);
  return { callId, draftId };
}

function extensionOf(h: Desk, p: Person): string {
  return p === h.ivanov ? '101' : p === h.petrov ? '102' : '201';
}

/** GET a request, failing loudly when it cannot be read. */
export async function getTicket(h: Desk, id: string, token = h.boss.token): Promise<any> {
  const res = await h.request('GET', `/api/tickets/${id}`, token);
  if (res.status !== 200) throw new Error(`GET ticket ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The request's journal entries, oldest first. */
export async function journalOf(h: Desk, id: string): Promise<any[]> {
  return (await getTicket(h, id)).journal;
}

/** The journal entries of one kind. */
export async function entries(h: Desk, id: string, kind: string): Promise<any[]> {
  return (await journalOf(h, id)).filter((e) => e.kind === kind);
}

/** A registered request made through the API by `who` (an agent is its default assignee, R1). */
export async function registered(h: Desk, who: Person, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await h.request('POST', '/api/tickets', who.token, { description: 'Не печатает принтер', ...fields, register: true });
  if (res.status !== 201) throw new Error(`registering: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** POST a transition and return the response. */
export function move(h: Desk, who: Person, id: string, body: Record<string, unknown>) {
  return h.request('POST', `/api/tickets/${id}/transitions`, who.token, body);
}

/** Moves a request along, failing loudly on any refusal; returns the request after the last step. */
export async function moveAll(h: Desk, who: Person, id: string, steps: Record<string, unknown>[]): Promise<any> {
  let last: any = null;
  for (const step of steps) {
    const res = await move(h, who, id, step);
    if (res.status !== 200) throw new Error(`${JSON.stringify(step)}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body;
  }
  return last;
}

/** A registered request of `who` moved to completed (solution delivered, R7). */
export async function completed(h: Desk, who: Person, fields: Record<string, unknown> = {}): Promise<any> {
  const r = await registered(h, who, fields);
  return moveAll(h, who, r.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Переустановлен драйвер' }]);
}

/** Milliseconds since an ISO time (for "when" checks: the entry was written just now). */
export const ageMs = (iso: string) => Date.now() - new Date(iso).getTime();
