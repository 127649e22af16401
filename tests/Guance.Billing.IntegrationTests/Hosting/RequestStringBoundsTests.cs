using Guance.Billing.Common;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The bound on every string of a request, as <see cref="RequestStringBounds"/> applies it to each message read:
/// a long string is named by its path, and an agent's batch, the message read most, is checked without
/// allocating (a stream's message type holds strings, in its open, so every batch is walked).
/// </summary>
public sealed class RequestStringBoundsTests
{
    [Fact]
    public void A_batch_on_a_stream_is_checked_without_allocating_more_than_the_validator()
    {
        var batch = new StreamUsageRequest { Batch = new UsageBatch { Sequence = 1, Records = { new UsageRecord { Quantity = 5 } } } };
        RequestStringBounds.Check(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        RequestStringBounds.Check(batch);

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 32);
    }

    [Fact]
    public void A_string_over_the_bound_is_named_by_its_path()
    {
        var open = new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = new string('c', RequestStringBounds.MaxLength + 1) } };

        var error = Assert.Throws<BillingException>(() => RequestStringBounds.Check(open));

        Assert.Equal("open.collector_id", Assert.Single(error.FieldViolations).Field);
        Assert.Equal($"must be at most {RequestStringBounds.MaxLength} characters", error.FieldViolations[0].Description);
    }
}
