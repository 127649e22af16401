using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Collector;

/// <summary>Makes throwaway workspaces for a load test: a new console user, N workspaces, a collector token each.</summary>
public static class Setup
{
    public static async Task<List<string>> CreateWorkspacesAsync(GrpcChannel channel, int count, string site, CancellationToken cancellationToken)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var signUp = await identity.SignUpAsync(new SignUpRequest
        {
            Email = $"collector.{Guid.NewGuid():N}@example.com",
            Password = Guid.NewGuid().ToString("N"),
            DisplayName = "Collector load test",
        }, cancellationToken: cancellationToken);
        var workspaces = new WorkspaceService.WorkspaceServiceClient(channel.CreateCallInvoker().Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + signUp.Token);
            return headers;
        }));
        var tokens = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var workspace = await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = $"Load test {i + 1}",
                SiteCode = site,
                ActivationChannel = ActivationChannel.OfficialWebsite,
            }, cancellationToken: cancellationToken);
            var token = await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest
            {
                WorkspaceId = workspace.Workspace.WorkspaceId,
                DisplayName = "collector",
            }, cancellationToken: cancellationToken);
            Console.WriteLine($"workspace {i + 1}: {workspace.Workspace.WorkspaceId} token {token.Token}");
            tokens.Add(token.Token);
        }
        return tokens;
    }
}
