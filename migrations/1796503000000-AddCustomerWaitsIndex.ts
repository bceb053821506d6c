import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// «Клиент ждёт ответа» as a list filter: the requests whose customer wrote and no agent has acted
// since are few at any time, so the filter reads them from a partial index in the list's order
// (R3) instead of walking the whole priority order for them. A draft or a request nobody wrote on
// has no entry: writing it costs nothing more. Built CONCURRENTLY: requests keep being written.
const INDEXES: IndexDefinition[] = [['ticket_customer_waits_idx', `ON ticket (priority_rank, created_at, id) WHERE customer_wrote_at IS NOT NULL`]];

export class AddCustomerWaitsIndex1796503000000 implements MigrationInterface {
  name = 'AddCustomerWaitsIndex1796503000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
