// The ticket_attachment table: screenshots of requests, their bytes stored in PostgreSQL (bytea)
// so that any instance serves them.
import type { DataSource, EntityManager } from 'typeorm';

/** An attachment's metadata as read, with who uploaded it. */
export interface AttachmentRow {
  id: string;
  ticket_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
  agent_id: string | null;
  login: string | null;
  name: string | null;
}

export interface NewAttachment {
  id: string;
  ticketId: string;
  fileName: string;
  contentType: string;
  sha256: string;
  data: Buffer;
  uploadedBy: string;
  uploadedAt: Date;
}

const META = `a.id, a.ticket_id, a.file_name, a.content_type, a.size, a.sha256, a.uploaded_at, g.id AS agent_id, g.login, g.name`;

/** Inside the request's change (the journal entry is written with it). */
export async function insertAttachment(m: EntityManager, a: NewAttachment): Promise<void> {
  await m.query(
    `INSERT INTO ticket_attachment (id, ticket_id, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [a.id, a.ticketId, a.fileName, a.contentType, a.data.length, a.sha256, a.data, a.uploadedBy, a.uploadedAt],
  );
}

export async function ticketExists(ds: DataSource, ticketId: string): Promise<boolean> {
  return (await ds.query(`SELECT 1 FROM ticket WHERE id = $1`, [ticketId])).length > 0;
}

/** A request's attachments, oldest first (metadata only). */
export function attachmentsOf(ds: DataSource, ticketId: string): Promise<AttachmentRow[]> {
  return ds.query(
    `SELECT ${META} FROM ticket_attachment a LEFT JOIN agent g ON g.id = a.uploaded_by
      WHERE a.ticket_id = $1 ORDER BY a.uploaded_at, a.id`,
    [ticketId],
  );
}

export async function attachment(ds: DataSource, ticketId: string, id: string): Promise<AttachmentRow | null> {
  const found = await ds.query(`SELECT ${META} FROM ticket_attachment a LEFT JOIN agent g ON g.id = a.uploaded_by WHERE a.ticket_id = $1 AND a.id = $2`, [
    ticketId,
    id,
  ]);
  return found[0] ?? null;
}

export async function attachmentWithData(ds: DataSource, ticketId: string, id: string): Promise<(AttachmentRow & { data: Buffer }) | null> {
  const found = await ds.query(
    `SELECT ${META}, a.data FROM ticket_attachment a LEFT JOIN agent g ON g.id = a.uploaded_by WHERE a.ticket_id = $1 AND a.id = $2`,
    [ticketId, id],
  );
  return found[0] ?? null;
}
