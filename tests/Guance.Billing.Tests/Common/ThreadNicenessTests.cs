using Guance.Billing.Common;

namespace Guance.Billing.Tests.Common;

public sealed class ThreadNicenessTests
{
    [Fact]
    public void A_thread_made_nicer_reports_its_niceness_and_the_others_keep_theirs()
    {
        Assert.True(OperatingSystem.IsLinux(), "the host's bulk work relies on Linux's per-thread niceness");
        var before = ThreadNiceness.OfCurrent();
        (bool Set, int? Niceness) seen = default;
        var thread = new Thread(() => seen = (ThreadNiceness.TrySetCurrent(7), ThreadNiceness.OfCurrent()));
        thread.Start();
        thread.Join();

        Assert.Equal((true, 7), seen);
        Assert.Equal(before, ThreadNiceness.OfCurrent());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(20)]
    public void A_niceness_outside_1_to_19_is_not_set(int niceness)
    {
        (bool Set, int? Niceness) seen = default;
        var thread = new Thread(() => seen = (ThreadNiceness.TrySetCurrent(niceness), ThreadNiceness.OfCurrent()));
        thread.Start();
        thread.Join();

        Assert.Equal((false, ThreadNiceness.OfCurrent()), seen);
    }
}
