using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <summary>
    /// The ledger's entries keyed by (transaction, position) instead of (ledger account, sequence) (docs/performance.md).
    /// The new key's index is built beside the old one (CONCURRENTLY, outside a transaction), then the primary key is
    /// swapped onto it in one short statement, so that the charges of the hosts still serving during a rolling restart
    /// do not wait for an index build. The swap needs the table alone for an instant: it asks for it for half a second at
    /// a time, so that a long reader makes it try again rather than queue every charge behind it. Each step may be run
    /// again after a host was stopped half-way.
    /// </summary>
    public partial class LedgerEntriesKeyedByTransaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SwapPrimaryKey(migrationBuilder, "transaction_id, position");
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS ix_ledger_entries_transaction_id;", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // An index left invalid by an interrupted build would satisfy IF NOT EXISTS: dropped first.
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS ix_ledger_entries_transaction_id;", suppressTransaction: true);
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY ix_ledger_entries_transaction_id ON ledger_entries (transaction_id);", suppressTransaction: true);
            SwapPrimaryKey(migrationBuilder, "ledger_account_id, sequence");
        }

        private static void SwapPrimaryKey(MigrationBuilder migrationBuilder, string columns)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS pk_ledger_entries_next;", suppressTransaction: true);
            migrationBuilder.Sql($"CREATE UNIQUE INDEX CONCURRENTLY pk_ledger_entries_next ON ledger_entries ({columns});", suppressTransaction: true);
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    PERFORM set_config('lock_timeout', '500ms', true);
                    FOR attempt IN 1..1200 LOOP
                        BEGIN
                            ALTER TABLE ledger_entries DROP CONSTRAINT pk_ledger_entries, ADD CONSTRAINT pk_ledger_entries PRIMARY KEY USING INDEX pk_ledger_entries_next;
                            RETURN;
                        EXCEPTION WHEN lock_not_available THEN
                            IF attempt = 1200 THEN
                                RAISE;
                            END IF;
                            PERFORM pg_sleep(0.5);
                        END;
                    END LOOP;
                END $$;
                """, suppressTransaction: true);
        }
    }
}
