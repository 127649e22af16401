namespace Guance.Billing.Usage;

/// <summary>
/// Says whether a workspace is locked (14 days of arrears, docs/domain.md §6): its new usage is refused
/// with WORKSPACE_LOCKED. The wallet replaces <see cref="NeverLockedWorkspaces"/> when locks exist.
/// Asked for every batch by the usage writer inside its transaction, with the workspace's settlement lock
/// date (<c>workspace_settlements.lock_at</c>, Unix microseconds, null when there is none) read there with
/// the batch's token, so a lock and an unlock take effect at the next batch on every host.
/// </summary>
public interface IWorkspaceLockOracle
{
    bool IsLocked(string workspaceId, long? lockAt);
}

/// <summary>No workspace is ever locked (until the wallet locks them).</summary>
public sealed class NeverLockedWorkspaces : IWorkspaceLockOracle
{
    public bool IsLocked(string workspaceId, long? lockAt) => false;
}
