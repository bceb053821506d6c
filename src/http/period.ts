import { badRequest } from './errors';

/** A period that ends before it starts is the client's mistake: 400 naming `until`. */
export function checkPeriod(q: { since?: string; until?: string }): void {
  if (q.since && q.until && Date.parse(q.since) > Date.parse(q.until)) throw badRequest(`querystring field 'until' is before 'since'`, 'until');
}
