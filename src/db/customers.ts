// The customer directory: organisations and contacts, found by name, phone or e-mail.
import type { DataSource, EntityManager } from 'typeorm';
import type { Contact, ContactInput, Organisation, OrganisationInput } from '../customers/customer';

type Db = DataSource | EntityManager;

export interface ContactRow {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  organisation_id: string | null;
  organisation_name: string | null;
  position: string;
  note: string;
  erased_at: Date | null;
  created_at: Date;
}

export interface OrganisationRow {
  id: string;
  name: string;
  inn: string;
  note: string;
  contacts: number;
  created_at: Date;
}

const CONTACT_SELECT = `c.id, c.name, c.phones, c.emails, c.organisation_id, o.name AS organisation_name, c.position, c.note,
  c.erased_at, c.created_at FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id`;
const ORGANISATION_SELECT = `o.id, o.name, o.inn, o.note, o.created_at,
  (SELECT count(*)::int FROM contact c WHERE c.organisation_id = o.id) AS contacts FROM organisation o`;

/** `%`-safe prefix / substring pattern for ILIKE. */
const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export interface ContactSearch {
  q?: string;
  phone?: string;
  email?: string;
  organisationId?: string;
  limit: number;
}

export function findContacts(db: Db, s: ContactSearch): Promise<ContactRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => (args.push(v), `$${args.length}`);
  if (s.q) {
    const p = arg(like(s.q));
    where.push(`(c.name ILIKE ${p} OR o.name ILIKE ${p} OR c.position ILIKE ${p})`);
  }
  if (s.phone) where.push(`c.phones @> ARRAY[${arg(s.phone)}]::text[]`);
  if (s.email) where.push(`c.emails @> ARRAY[${arg(s.email.toLowerCase())}]::text[]`);
  if (s.organisationId) where.push(`c.organisation_id = ${arg(s.organisationId)}`);
  return db.query(`SELECT ${CONTACT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY lower(c.name), c.id LIMIT ${arg(s.limit)}`, args);
}

export async function contactById(db: Db, id: string): Promise<ContactRow | null> {
  return (await db.query(`SELECT ${CONTACT_SELECT} WHERE c.id = $1`, [id]))[0] ?? null;
}

export async function insertContact(db: Db, c: Omit<Contact, 'erasedAt'>): Promise<void> {
  await db.query(`INSERT INTO contact (id, name, phones, emails, organisation_id, position, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    c.id,
    c.name,
    c.phones,
    c.emails,
    c.organisationId,
    c.position,
    c.note,
  ]);
}

const CONTACT_COLUMNS: Record<keyof ContactInput, string> = {
  name: 'name',
  phones: 'phones',
  emails: 'emails',
  organisationId: 'organisation_id',
  position: 'position',
  note: 'note',
};
const ORGANISATION_COLUMNS: Record<keyof OrganisationInput, string> = { name: 'name', inn: 'inn', note: 'note' };

async function update(db: Db, table: string, columns: Record<string, string>, id: string, changes: Record<string, unknown>): Promise<boolean> {
  const sets: string[] = [];
  const args: unknown[] = [id];
  for (const [k, col] of Object.entries(columns)) {
    if (changes[k] === undefined) continue;
    args.push(changes[k]);
    sets.push(`${col} = $${args.length}`);
  }
  const done = await db.query(`UPDATE ${table} SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id`, args);
  return done.length > 0;
}

export const updateContact = (db: Db, id: string, changes: ContactInput) => update(db, 'contact', CONTACT_COLUMNS, id, changes);
export const updateOrganisation = (db: Db, id: string, changes: OrganisationInput) => update(db, 'organisation', ORGANISATION_COLUMNS, id, changes);

/** 152-FZ: who the person is goes; the row (and the requests naming it) stays. */
export async function eraseContact(db: Db, id: string, erasedName: string): Promise<boolean> {
  const done = await db.query(
    `UPDATE contact SET name = $2, phones = '{}', emails = '{}', position = '', note = '', erased_at = now(), updated_at = now()
      WHERE id = $1 RETURNING id`,
    [id, erasedName],
  );
  return done.length > 0;
}

/** The requests naming this contact as their customer. */
export async function requestsOfContact(db: Db, contactId: string): Promise<string[]> {
  return (await db.query(`SELECT id FROM ticket WHERE contact_id = $1`, [contactId])).map((r: { id: string }) => r.id);
}

export function findOrganisations(db: Db, q: string | undefined, limit: number): Promise<OrganisationRow[]> {
  return q
    ? db.query(`SELECT ${ORGANISATION_SELECT} WHERE o.name ILIKE $1 OR o.inn = $2 ORDER BY lower(o.name), o.id LIMIT $3`, [like(q), q.trim(), limit])
    : db.query(`SELECT ${ORGANISATION_SELECT} ORDER BY lower(o.name), o.id LIMIT $1`, [limit]);
}

export async function organisationById(db: Db, id: string): Promise<OrganisationRow | null> {
  return (await db.query(`SELECT ${ORGANISATION_SELECT} WHERE o.id = $1`, [id]))[0] ?? null;
}

export async function insertOrganisation(db: Db, o: Organisation): Promise<void> {
  await db.query(`INSERT INTO organisation (id, name, inn, note) VALUES ($1, $2, $3, $4)`, [o.id, o.name, o.inn, o.note]);
}
