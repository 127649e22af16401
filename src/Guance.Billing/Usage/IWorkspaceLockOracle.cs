using System.Data.Common;

namespace Guance.Billing.Usage;

/// <summary>
/// Says whether a workspace is locked (14 days of arrears, docs/domain.md §6): its new usage is refused
/// with WORKSPACE_LOCKED. The wallet replaces <see cref="NeverLockedWorkspaces"/> when locks exist.
/// Asked once per batch, so an implementation should answer from memory or one indexed read, on
/// <paramref name="connection"/>: the batch's admission read has it open already.
/// </summary>
public interface IWorkspaceLockOracle
{
    ValueTask<bool> IsLockedAsync(DbConnection connection, string workspaceId, CancellationToken cancellationToken);
}

/// <summary>No workspace is ever locked (until the wallet locks them).</summary>
public sealed class NeverLockedWorkspaces : IWorkspaceLockOracle
{
    public ValueTask<bool> IsLockedAsync(DbConnection connection, string workspaceId, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
