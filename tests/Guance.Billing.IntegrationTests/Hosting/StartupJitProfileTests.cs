using Guance.Billing.Host.Infrastructure;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// A start records the runtime's multicore JIT profile in the data directory at its first SERVING, for the
/// next start to compile ahead on a second core (docs/performance.md, Start-up); a profile that is corrupt,
/// cut short, or cannot be written never keeps a start from serving, and a bad one is replaced.
/// </summary>
public sealed class StartupJitProfileTests
{
    private static readonly TimeSpan ProfileWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_start_writes_its_profile_after_its_first_SERVING_and_the_next_start_serves_with_it()
    {
        using var database = TestDatabase.Create();
        var options = new HostProcessOptions { Database = database };
        var profile = Path.Combine(database.DataDirectory, StartupJitProfile.FileName);

        await using (var first = await HostProcess.StartAsync(options))
        {
            await WaitForAsync(() => Length(profile) > 0, first);
            await first.KillAsync();
        }
        var recorded = await File.ReadAllBytesAsync(profile);

        await using var second = await HostProcess.StartAsync(options);
        Assert.NotEmpty((await second.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest())).BillingItems);
        Assert.NotEmpty(recorded);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("cut short")]
    [InlineData("empty")]
    public async Task A_bad_profile_does_not_keep_a_start_from_serving_and_is_replaced(string kind)
    {
        using var database = TestDatabase.Create();
        var options = new HostProcessOptions { Database = database };
        var profile = Path.Combine(database.DataDirectory, StartupJitProfile.FileName);
        byte[] bad;
        if (kind == "cut short")
        {
            await using (var recording = await HostProcess.StartAsync(options))
            {
                await WaitForAsync(() => Length(profile) > 64, recording);
                await recording.KillAsync();
            }
            var whole = await File.ReadAllBytesAsync(profile);
            bad = whole[..(whole.Length / 2)];
        }
        else
        {
            bad = kind == "garbage" ? Enumerable.Repeat((byte)0xAB, 4096).ToArray() : [];
        }
        await File.WriteAllBytesAsync(profile, bad);

        await using var host = await HostProcess.StartAsync(options);
        Assert.NotEmpty((await host.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest())).BillingItems);
        await WaitForAsync(() => Length(profile) > 0 && !File.ReadAllBytes(profile).AsSpan().SequenceEqual(bad), host);
    }

    [Fact]
    public async Task A_profile_that_cannot_be_written_does_not_keep_a_start_from_serving()
    {
        using var database = TestDatabase.Create();
        Directory.CreateDirectory(Path.Combine(database.DataDirectory, StartupJitProfile.FileName));

        await using var host = await HostProcess.StartAsync(new HostProcessOptions { Database = database });

        Assert.NotEmpty((await host.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest())).BillingItems);
        Assert.False(host.HasExited);
    }

    private static long Length(string file) => File.Exists(file) ? new FileInfo(file).Length : -1;

    // The profile is written a second after the first SERVING, on a thread of the host's own.
    private static async Task WaitForAsync(Func<bool> written, HostProcess host)
    {
        using var deadline = new CancellationTokenSource(ProfileWait);
        while (!written())
        {
            Assert.False(host.HasExited, host.Output);
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
