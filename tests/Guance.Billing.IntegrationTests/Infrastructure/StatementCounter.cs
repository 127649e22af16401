using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// Counts, since the last <see cref="Reset"/>, the statements that EF sends (as a query or not) matching a pattern:
/// a test's proof that a write goes as one statement, or not at all through a path it should avoid.
/// Add it to a host's context with <c>ConfigureDbContext&lt;BillingDbContext&gt;((_, b) =&gt; b.AddInterceptors(counter))</c>.
/// </summary>
public sealed class StatementCounter(Regex statement) : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Tally(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Tally(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    // A batch of EF's change tracker carries several statements in one command: each counts.
    private void Tally(DbCommand command) => Interlocked.Add(ref _count, statement.Count(command.CommandText));
}
