using System.CommandLine;
using Google.Protobuf.Collections;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>The paging options of list commands, and reading one page or all of them.</summary>
public static class Pages
{
    public static readonly Option<int> PageSize = new("--page-size")
    {
        Description = "Most items per page, 1 to 1000 (default: the host's, 50)",
    };

    public static readonly Option<string?> PageToken = new("--page-token")
    {
        Description = "Continue from the next_page_token of an earlier list",
    };

    public static readonly Option<bool> All = new("--all")
    {
        Description = "Follow every page and list everything",
    };

    public static Command WithPaging(this Command command)
    {
        command.Options.Add(PageSize);
        command.Options.Add(PageToken);
        command.Options.Add(All);
        return command;
    }

    /// <summary>
    /// One page, or with --all every page merged into the first response (its next_page_token then
    /// empty), with a progress bar at a terminal counting <paramref name="what"/>. In table mode, a
    /// note tells how to get the next page.
    /// </summary>
    public static async Task<TResponse> ReadAsync<TResponse, TItem>(CliContext context,
        Func<int, string, Task<TResponse>> list, Func<TResponse, RepeatedField<TItem>> items,
        Func<TResponse, string> nextPageToken, Action<TResponse, string> setNextPageToken, string what = "items")
    {
        var all = context.Get(All);
        var pageSize = context.Get(PageSize);
        var first = await list(pageSize, context.Get(PageToken) ?? "");
        var next = nextPageToken(first);
        if (all && next.Length > 0)
        {
            next = await ProgressDisplay.RunAsync(context, "Reading " + what, total: null, async progress =>
            {
                var token = next;
                progress.Report(items(first).Count);
                while (token.Length > 0)
                {
                    var page = await list(pageSize, token);
                    items(first).AddRange(items(page));
                    token = nextPageToken(page);
                    progress.Report(items(first).Count);
                }
                return token;
            });
        }
        setNextPageToken(first, next);
        if (next.Length > 0 && !context.Output.Json)
        {
            context.Output.Note($"More: add --page-token {next} (or --all).");
        }
        return first;
    }
}
