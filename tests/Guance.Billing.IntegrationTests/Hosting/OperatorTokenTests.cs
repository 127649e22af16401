using System.Text.RegularExpressions;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The operator token: generated and logged once for local use when none is configured, else the configured one.</summary>
public sealed partial class OperatorTokenTests
{
    [GeneratedRegex("gco_[0-9a-z]{40}")]
    private static partial Regex GeneratedToken();

    [Fact]
    public async Task Without_a_configured_token_the_host_makes_one_for_local_use_and_logs_it_once_else_it_uses_the_configured_one()
    {
        using var database = TestDatabase.Create();
        string generated;
        string workspaceId;
        await using (var host = await HostProcess.StartAsync(new HostProcessOptions { Database = database, OperatorToken = null }))
        {
            // A new SQLite database's migrations log no warning an operator cannot act on (EF's about the foreign keys'
            // pragma). PostgreSQL's index rebuilt concurrently is outside a transaction indeed, and says so (operations.md).
            if (database.Provider == Guance.Billing.Common.DatabaseProvider.Sqlite)
            {
                Assert.DoesNotContain(host.OutputLines, l => l.Contains("cannot be executed in a transaction", StringComparison.Ordinal));
            }
            var line = Assert.Single(host.OutputLines, l => GeneratedToken().IsMatch(l));
            Assert.Contains("FOR LOCAL USE ONLY", line);
            generated = GeneratedToken().Match(line).Value;

            // It is the operator: it sees every workspace, with no role of its own.
            var user = await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = "ann@example.com", Password = "correct horse battery", DisplayName = "Ann" });
            workspaceId = (await host.Api(user.Token).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
            })).Workspace.WorkspaceId;
            var listed = await host.Api(generated).Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest());
            Assert.Equal(WorkspaceRole.Unspecified, Assert.Single(listed.Workspaces, w => w.WorkspaceId == workspaceId).CallerRole);
            var almost = generated[..^1] + (generated[^1] == 'a' ? 'b' : 'a');
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(almost).Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest()), "TOKEN_INVALID");

            Assert.Equal(0, await host.StopAsync());
            // Logged once in the whole life of the process, never again.
            Assert.Single(host.OutputLines, l => l.Contains(generated));
        }

        // Configured by environment variable on the next start: that token is used, nothing is generated,
        // and the generated one of the last run is worthless.
        var configured = HostProcessOptions.NewOperatorToken();
        var options = new HostProcessOptions { Database = database, OperatorToken = null };
        options.Environment["Guance__OperatorToken"] = configured;
        await using var restarted = await HostProcess.StartAsync(options);

        Assert.DoesNotContain(restarted.OutputLines, l => l.Contains("FOR LOCAL USE ONLY") || GeneratedToken().IsMatch(l) || l.Contains(configured));
        var seen = (await restarted.Api(configured).Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId })).Workspace;
        Assert.Equal(WorkspaceRole.Unspecified, seen.CallerRole);
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => restarted.Api(generated).Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest()), "TOKEN_INVALID");
        // The operator is not a console user.
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => restarted.Api(configured).Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "CONSOLE_USER_REQUIRED");
    }
}
