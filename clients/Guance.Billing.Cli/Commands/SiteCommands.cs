using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>sites: where a workspace can be created.</summary>
public sealed class SiteCommands : ICommandGroup
{
    public int Order => 30;

    public IEnumerable<Command> Build()
    {
        var command = new Command("sites", "List the sites (regions) a workspace can be created on");
        command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.ListSitesAsync(new ListSitesRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Table(
                ["CODE", "NAME", "CLOUD", "TIME ZONE", "PRICE LIST"],
                response.Sites.Select(s => new[] { s.Code, s.DisplayName, Display.Enum(s.CloudProvider), s.TimeZone, Display.Enum(s.PriceRegion) }),
                "No sites."));
            return ExitCodes.Ok;
        });
        return [command];
    }
}
