namespace Guance.Billing.Workspaces;

/// <summary>A workspace: where usage is produced and counted, on one site, under one plan.</summary>
public sealed class Workspace
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string SiteCode { get; init; }
    public ActivationChannel ActivationChannel { get; init; }
    public Plan Plan { get; set; }
    public WorkspaceState State { get; set; }
    public required string OwnerUserId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpgradedAt { get; set; }
    public DateTimeOffset? DissolvedAt { get; set; }

    /// <summary>Bumped on every change, so that two concurrent writers cannot both win.</summary>
    public long Version { get; set; }

    public Site Site => Sites.Get(SiteCode);
}
