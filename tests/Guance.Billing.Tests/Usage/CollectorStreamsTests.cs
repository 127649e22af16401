using Guance.Billing.Common;
using Guance.Billing.Usage;

namespace Guance.Billing.Tests.Usage;

/// <summary>The bounds of StreamUsage calls on one host: per collector token, in total, and per collector.</summary>
public sealed class CollectorStreamsTests
{
    [Fact]
    public void Calls_are_bounded_per_token_and_in_total_and_a_closed_call_frees_its_place()
    {
        var streams = new CollectorStreams();
        var first = streams.AcquireCall("tok_a", perToken: 2, total: 3);
        using var second = streams.AcquireCall("tok_a", perToken: 2, total: 3);
        var perToken = Assert.Throws<BillingException>(() => streams.AcquireCall("tok_a", perToken: 2, total: 3));
        Assert.Equal((ErrorKind.ResourceExhausted, "TOO_MANY_TOKEN_STREAMS"), (perToken.Kind, perToken.Reason));

        using var other = streams.AcquireCall("tok_b", perToken: 2, total: 3);
        var total = Assert.Throws<BillingException>(() => streams.AcquireCall("tok_c", perToken: 2, total: 3));
        Assert.Equal((ErrorKind.ResourceExhausted, "HOST_STREAMS_EXHAUSTED"), (total.Kind, total.Reason));
        Assert.Equal(3, streams.CallCount);

        first.Dispose();
        first.Dispose(); // a second release changes nothing
        Assert.Equal(2, streams.CallCount);
        using var again = streams.AcquireCall("tok_a", perToken: 2, total: 3);
        Assert.Equal(3, streams.CallCount);
    }
}
