import type { MigrationInterface, QueryRunner } from 'typeorm';

// The login limiter's counts, shared by every instance on the database (behind a balancer a
// guesser's tries are counted together): failures per account (`a:login`) and per address
// (`i:address`) in their window, and the (account, address) pairs that logged in lately.
export class CreateLoginLimits1796501100000 implements MigrationInterface {
  name = 'CreateLoginLimits1796501100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failures (
        key text PRIMARY KEY,
        count integer NOT NULL,
        reset_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE login_known (
        login text NOT NULL,
        address text NOT NULL,
        until timestamptz NOT NULL,
        PRIMARY KEY (login, address)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_known`);
    await q.query(`DROP TABLE login_failures`);
  }
}
