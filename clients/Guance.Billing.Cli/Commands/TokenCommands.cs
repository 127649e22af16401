using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>tokens create/list/revoke: the calling user's API tokens.</summary>
public sealed class TokenCommands : ICommandGroup
{
    public int Order => 20;

    public IEnumerable<Command> Build() =>
    [
        new Command("tokens", "Your API tokens (for scripts and CI)") { Create(), List(), Revoke() },
    ];

    private static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name of the token, e.g. ci", Required = true };
        var expiresIn = new Option<TimeSpan?>("--expires-in")
        {
            Description = "Lifetime, e.g. 90d, 12h or 30m (default: no expiry)",
            CustomParser = result => Durations.Parse(result),
        };
        var command = new Command("create", "Create an API token; its secret is shown only once") { name, expiresIn };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new CreateApiTokenRequest { DisplayName = context.Get(name)! };
            if (context.Get(expiresIn) is { } lifetime)
            {
                request.ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + lifetime);
            }
            var response = await context.Client.Identity.CreateApiTokenAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("Token id", response.ApiToken.ApiTokenId),
                    ("Name", response.ApiToken.DisplayName),
                    ("Expires", Display.Time(response.ApiToken.ExpireTime) is { Length: > 0 } t ? t : "never"),
                    ("Token", response.Token));
                context.Output.Note("The token is shown only once.");
            });
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var command = new Command("list", "List your API tokens (never their secrets), newest first").WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = size, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.ApiTokens, r => r.NextPageToken, (r, next) => r.NextPageToken = next);
            context.Output.Result(response, () => context.Output.Table(
                ["TOKEN ID", "NAME", "CREATED", "EXPIRES", "REVOKED"],
                response.ApiTokens.Select(t => new[] { t.ApiTokenId, t.DisplayName, Display.Time(t.CreateTime), Display.Time(t.ExpireTime), Display.Time(t.RevokeTime) }),
                "No API tokens."));
            return ExitCodes.Ok;
        });
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("token-id") { Description = "The token to revoke" };
        var command = new Command("revoke", "Revoke one of your API tokens; it stops working at once") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Revoked {response.ApiToken.ApiTokenId} ({response.ApiToken.DisplayName})."));
            return ExitCodes.Ok;
        });
    }
}
