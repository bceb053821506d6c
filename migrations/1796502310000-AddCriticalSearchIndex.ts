import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// Search of the critical requests' text alone (issue 18). A common word that no critical request
// has (the list's first rows in R3 order) made search walk all of them before reaching the rest,
// and «critical + that word» ANDed the word's whole bitmap (every match of it) with theirs. Their
// own full-text index, a fiftieth of the whole, answers «any here?» and «which» at once.
// Built CONCURRENTLY: the table keeps taking writes meanwhile.
const INDEXES: IndexDefinition[] = [['ticket_search_critical_idx', `ON ticket USING gin (search) WHERE priority_rank = 0`]];

export class AddCriticalSearchIndex1796502310000 implements MigrationInterface {
  name = 'AddCriticalSearchIndex1796502310000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
