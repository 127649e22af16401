using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>workspaces collector-tokens create/list/revoke: the tokens DataKit-style agents report usage with.</summary>
public static class CollectorTokenCommands
{
    public static Command Build() => new("collector-tokens", "Collector (DataKit) tokens of a workspace, for usage ingestion") { Create(), List(), Revoke() };

    private static Command Create()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var name = new Option<string>("--name") { Description = "Name of the token, e.g. \"prod hosts\"", Required = true };
        var command = new Command("create", "Create a collector token; its secret is shown only once") { id, name };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest
            {
                WorkspaceId = context.Get(id)!, DisplayName = context.Get(name)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("Token id", response.CollectorToken.CollectorTokenId),
                    ("Workspace", response.CollectorToken.WorkspaceId),
                    ("Name", response.CollectorToken.DisplayName),
                    ("Token", response.Token));
                context.Output.Note("The token is shown only once: put it in the agents' configuration now.");
            });
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("list", "List the collector tokens (never their secrets), newest first") { id };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest
                {
                    WorkspaceId = context.Get(id)!, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.CollectorTokens, r => r.NextPageToken, (r, next) => r.NextPageToken = next);
            context.Output.Result(response, () => context.Output.Table(
                ["TOKEN ID", "NAME", "CREATED", "REVOKED"],
                response.CollectorTokens.Select(t => new[] { t.CollectorTokenId, t.DisplayName, Display.Time(t.CreateTime), Display.Time(t.RevokeTime) }),
                "No collector tokens."));
            return ExitCodes.Ok;
        });
    }

    private static Command Revoke()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var tokenId = new Argument<string>("token-id") { Description = "The collector token to revoke" };
        var command = new Command("revoke", "Revoke a collector token; streams that use it end at their next batch") { id, tokenId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
            {
                WorkspaceId = context.Get(id)!, CollectorTokenId = context.Get(tokenId)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Revoked {response.CollectorToken.CollectorTokenId} ({response.CollectorToken.DisplayName})."));
            return ExitCodes.Ok;
        });
    }
}
