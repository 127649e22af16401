using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>What ingestion needs to know of a workspace, read once per batch together with the token.</summary>
public sealed record WorkspaceSnapshot(string Id, Site Site, Plan Plan, WorkspaceState State, DateTimeOffset? UpgradedAt)
{
    public bool IsExperience => Plan == Plan.Experience;
}
