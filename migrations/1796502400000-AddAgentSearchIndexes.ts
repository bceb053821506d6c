import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// An agent's requests with a word (issue 18). Search found them by ANDing the agent's bitmap from
// ticket_assignees_idx (a third of all requests for the busy agent: 333,000 entries, 60 ms and more)
// with the word's. One GIN index on both columns gives the requests having both at once (it merges
// the two lists inside the index: 412 of them, 12 ms), and its critical part alone (a fiftieth)
// gives the agent's critical requests with the word in a millisecond, which search reads before
// the rest of the list when the word is rare among them. That part is by `priority`, which no other
// index has: the planner would AND the rank's bitmap (ticket_priority_idx) to it.
// Built CONCURRENTLY: the table keeps taking writes meanwhile.
const INDEXES: IndexDefinition[] = [
  ['ticket_assignees_search_idx', `ON ticket USING gin (assignees, search)`],
  ['ticket_critical_assignees_search_idx', `ON ticket USING gin (assignees, search) WHERE priority = 'critical'`],
];

export class AddAgentSearchIndexes1796502400000 implements MigrationInterface {
  name = 'AddAgentSearchIndexes1796502400000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
