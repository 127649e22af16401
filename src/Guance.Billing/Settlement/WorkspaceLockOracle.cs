using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;

namespace Guance.Billing.Settlement;

/// <summary>
/// Usage's lock oracle once settlement exists: a workspace is locked from its lock date on (the end of
/// the settlement period of its billing account's arrears) until the arrears are paid, which clears
/// the date in the payment's own transaction. One indexed read per batch, so a lock and an unlock
/// take effect at once on every host.
/// </summary>
public sealed class WorkspaceLockOracle(TimeProvider clock) : IWorkspaceLockOracle
{
    private const string LockAtSql = "SELECT lock_at FROM workspace_settlements WHERE workspace_id = @workspace";

    public async ValueTask<bool> IsLockedAsync(DbConnection connection, string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(LockAtSql).With("@workspace", workspaceId);
        return await command.ExecuteScalarAsync(cancellationToken) is long lockAt
            && UnixMicrosecondsConverter.FromMicroseconds(lockAt) <= clock.GetUtcNow();
    }
}
