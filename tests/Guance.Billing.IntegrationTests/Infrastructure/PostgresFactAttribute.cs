using Guance.Billing.Common;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// A test that needs PostgreSQL: several host processes on one database is a PostgreSQL deployment
/// (SQLite is one process's embedded file). It runs in the PostgreSQL pass of <c>tests/run-all.sh</c>
/// (or whenever <see cref="TestDatabase.PostgresVariable"/> is set) and is reported as skipped, with
/// this reason, in the SQLite pass.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Reason =
        "Needs PostgreSQL (several hosts share one database only there): runs in the PostgreSQL pass of tests/run-all.sh, or with GUANCE_TEST_POSTGRES set";

    public PostgresFactAttribute()
    {
        if (TestDatabase.Engine != DatabaseProvider.Postgres)
        {
            Skip = Reason;
        }
    }
}
