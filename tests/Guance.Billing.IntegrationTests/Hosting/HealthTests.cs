using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>grpc.health.v1.Health says SERVING only while the database answers.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_follows_the_database_and_a_failing_database_leaks_nothing_to_callers()
    {
        // The database in a directory of its own, opened afresh for every unit of work (no pool),
        // so that moving the directory away makes the database stop answering at once, and moving
        // it back makes it answer again: no timing involved.
        using var data = new TemporaryDirectory("health");
        var databaseDirectory = Path.Combine(data.Path, "database");
        Directory.CreateDirectory(databaseDirectory);
        using var host = new BillingHost();
        host.Settings["Guance:Database:Provider"] = "Sqlite";
        host.Settings["Guance:Database:ConnectionString"] = $"Data Source={Path.Combine(databaseDirectory, "guance-billing.db")};Pooling=False";
        var health = new Health.HealthClient(host.Api().Invoker);
        var anonymous = host.Api();

        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var user = await host.SignUpAsync("healthy");

        Directory.Move(databaseDirectory, databaseDirectory + ".away");
        try
        {
            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);

            // Calls fail without a word about SQLite, files or SQL: only a correlation id for the logs.
            var failure = await Assert.ThrowsAsync<RpcException>(() => anonymous.Identity.SignUpAsync(new SignUpRequest
            {
                Email = "late@example.com", Password = "correct horse battery", DisplayName = "Late",
            }).ResponseAsync);
            Assert.Contains(failure.StatusCode, new[] { StatusCode.Internal, StatusCode.Unavailable });
            var info = failure.GetRpcStatus()!.GetDetail<ErrorInfo>();
            var said = string.Join('\n', [failure.Status.Detail, info.Reason, .. info.Metadata.Values]);
            if (failure.StatusCode == StatusCode.Internal)
            {
                Assert.NotEqual("", info.Metadata.GetValueOrDefault("correlation_id", ""));
            }
            foreach (var secret in new[] { "SQLite", "sqlite", "Data Source", data.Path, "unable to open", "   at " })
            {
                Assert.DoesNotContain(secret, said);
            }
            // The ListSites RPC needs no database and keeps working.
            await anonymous.Workspaces.ListSitesAsync(new ListSitesRequest());
        }
        finally
        {
            Directory.Move(databaseDirectory + ".away", databaseDirectory);
        }

        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        await user.Api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
    }
}
