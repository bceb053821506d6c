// What an agent types into a request (autosaved), and the priorities offered, most urgent first.
import type { Ticket } from '../../wire/ticket';

export const TEXT_FIELDS = ['subject', 'description', 'technicalDetails', 'productVersion', 'fixedIn', 'priority'] as const;
export type Field = (typeof TEXT_FIELDS)[number];
export type Fields = Pick<Ticket, Field>;

export type Priority = Ticket['priority'];
/** R3's order. */
export { PRIORITIES } from '../../tickets/vocabulary';
