namespace Guance.Billing.Workspaces;

/// <summary>A console user's membership of a workspace, with a role.</summary>
public sealed class WorkspaceMember
{
    public required string WorkspaceId { get; init; }
    public required string UserId { get; init; }
    public WorkspaceRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; init; }
}
