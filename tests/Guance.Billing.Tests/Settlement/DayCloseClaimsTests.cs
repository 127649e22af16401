using Guance.Billing.Settlement;

namespace Guance.Billing.Tests.Settlement;

/// <summary>A phase's keys in order are cut into batches of about the weight asked for, never splitting a key, covering every key once.</summary>
public sealed class DayCloseClaimsTests
{
    [Fact]
    public void Batches_cover_the_keys_in_order_and_end_at_a_key_once_the_weight_is_reached()
    {
        var batches = DayCloseClaims.Cut([("a", 1), ("b", 3), ("c", 1), ("d", 1), ("e", 2)], 3);

        Assert.Equal([new ClaimedBatch(0, "", "b"), new ClaimedBatch(1, "b", "e")], batches);
    }

    [Fact]
    public void A_short_last_batch_and_no_keys_no_batches()
    {
        Assert.Equal([new ClaimedBatch(0, "", "b"), new ClaimedBatch(1, "b", "c")], DayCloseClaims.Cut([("a", 1), ("b", 1), ("c", 1)], 2));
        Assert.Empty(DayCloseClaims.Cut([], 5));
    }
}
