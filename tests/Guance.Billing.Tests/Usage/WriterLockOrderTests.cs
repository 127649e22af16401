using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Usage;

/// <summary>
/// The order in which the usage writer applies a group: by workspace and collector (ordinal), each
/// collector's batches in the order they were queued. Two hosts then lock the same marks in the same
/// order, so their group commits cannot deadlock when collectors move between them.
/// </summary>
public sealed class WriterLockOrderTests
{
    private static PendingBatch Batch(string workspace, string collector, long sequence) =>
        new(new WorkspaceSnapshot(workspace, Sites.Get("cn1"), Plan.Commercial, WorkspaceState.Active, null), "tok_1", collector,
            new AggregatedBatch(sequence, 1, []));

    [Fact]
    public void A_group_is_applied_by_workspace_and_collector_keeping_each_collectors_order()
    {
        var queued = new List<PendingBatch>
        {
            Batch("ws_b", "web-2", 10), Batch("ws_a", "web-9", 7), Batch("ws_b", "web-10", 3), Batch("ws_b", "web-2", 11),
            Batch("ws_a", "web-9", 8), Batch("ws_B", "web-1", 1), Batch("ws_b", "web-2", 12),
        };

        var ordered = UsageWriter.InLockOrder(queued);

        Assert.Equal(
            [("ws_B", "web-1", 1L), ("ws_a", "web-9", 7L), ("ws_a", "web-9", 8L), ("ws_b", "web-10", 3L), ("ws_b", "web-2", 10L), ("ws_b", "web-2", 11L), ("ws_b", "web-2", 12L)],
            ordered.Select(b => (b.Workspace.Id, b.CollectorId, b.Batch.Sequence)));
        Assert.Equal(queued.Count, queued.Intersect(ordered).Count());
    }
}
