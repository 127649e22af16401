using Guance.Billing.Data;
using Guance.Billing.Usage;

namespace Guance.Billing.Settlement;

/// <summary>
/// Usage's lock oracle once settlement exists: a workspace is locked from its lock date on (the end of
/// the settlement period of its billing account's arrears) until the arrears are paid, which clears
/// the date in the payment's own transaction. The usage writer reads the date in its transaction for
/// every batch, so a lock and an unlock take effect at once on every host.
/// </summary>
public sealed class WorkspaceLockOracle(TimeProvider clock) : IWorkspaceLockOracle
{
    public bool IsLocked(string workspaceId, long? lockAt) =>
        lockAt is { } at && UnixMicrosecondsConverter.FromMicroseconds(at) <= clock.GetUtcNow();
}
