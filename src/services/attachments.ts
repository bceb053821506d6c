// R5: screenshots of a request. The image type is read from the bytes (the client's content type
// is not trusted), the bytes are stored in PostgreSQL (bytea) so any instance serves them, and each
// upload is journaled on the request.
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';
import { attachment, attachmentsOf, attachmentWithData, insertAttachment, ticketExists, type AttachmentRow } from '../db/attachments';
import { NotFound, TooLarge, UnsupportedType, ValidationError } from '../tickets/errors';
import { ATTACHMENT_MAX_BYTES, IMAGE_TYPES, type ImageType } from '../tickets/ticket';
import type { TicketService } from './ticket-service';

const EXTENSION: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The image type the bytes are, by their signature; null for anything else (SVG and HTML included). */
export function detectImageType(buf: Buffer): ImageType | null {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, ascii('GIF87a')) || startsWith(buf, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** A file name safe to store and to send back in Content-Disposition: no paths, no control characters. */
export function cleanFileName(raw: string | undefined, type: ImageType, fallbackStem: string): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || `${fallbackStem}.${EXTENSION[type]}`;
}

export interface AttachmentView {
  id: string;
  ticketId: string;
  fileName: string;
  contentType: ImageType;
  size: number;
  sha256: string;
  uploadedBy: { id: string; login: string; name: string } | null;
  uploadedAt: string;
  /** Where to download it (needs the session like every API route). */
  url: string;
}

function view(r: AttachmentRow): AttachmentView {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    fileName: r.file_name,
    contentType: r.content_type as ImageType,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: r.agent_id ? { id: r.agent_id, login: r.login!, name: r.name! } : null,
    uploadedAt: new Date(r.uploaded_at).toISOString(),
    url: `/api/tickets/${r.ticket_id}/attachments/${r.id}`,
  };
}

export class AttachmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly tickets: TicketService,
    readonly maxBytes = ATTACHMENT_MAX_BYTES,
  ) {}

  /** Stores a screenshot on a request `agent` may edit; 415 when it is not a PNG, JPEG, WebP or GIF. */
  async add(ticketId: string, bytes: Buffer, fileName: string | undefined, agent: AuthAgent, callId?: string | null): Promise<AttachmentView> {
    const id = randomUUID();
    await this.tickets.amend(ticketId, agent, { callId }, async (m, state, now) => {
      // Judged after who may attach (404/403/409 first); nothing is written when refused.
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ValidationError('body', `body is empty: send the image bytes`);
      if (bytes.length > this.maxBytes) throw new TooLarge(this.maxBytes);
      const type = detectImageType(bytes);
      if (!type) {
        throw new UnsupportedType('body', IMAGE_TYPES, 'a screenshot must be a PNG, JPEG, WebP or GIF image');
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const name = cleanFileName(fileName, type, `${state.number ?? 'screenshot'}-${id.slice(0, 8)}`);
      await insertAttachment(m, { id, ticketId, fileName: name, contentType: type, sha256, data: bytes, uploadedBy: agent.id, uploadedAt: now });
      const data = { attachmentId: id, fileName: name, contentType: type, size: bytes.length, sha256 };
      return [{ kind: 'attachment_added', data, onBehalfOf: null, callId: callId ?? null }];
    });
    return (await this.get(ticketId, id))!;
  }

  async ticketExists(ticketId: string): Promise<boolean> {
    return ticketExists(this.ds, ticketId);
  }

  /** The request's screenshots, oldest first (metadata only). */
  async list(ticketId: string): Promise<AttachmentView[]> {
    return (await attachmentsOf(this.ds, ticketId)).map(view);
  }

  async get(ticketId: string, id: string): Promise<AttachmentView | null> {
    const row = await attachment(this.ds, ticketId, id);
    return row ? view(row) : null;
  }

  /** The stored bytes with what to send them as; NotFound when the request has no such attachment. */
  async content(ticketId: string, id: string): Promise<{ meta: AttachmentView; data: Buffer }> {
    const row = await attachmentWithData(this.ds, ticketId, id);
    if (!row) throw new NotFound('attachment', id);
    return { meta: view(row), data: row.data };
  }
}
