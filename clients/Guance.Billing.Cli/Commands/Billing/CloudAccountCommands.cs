using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>billing cloud-accounts add/list/remove: the marketplace accounts workspaces may settle through.</summary>
public static class CloudAccountCommands
{
    public static Command Build() => new("cloud-accounts", "Cloud-marketplace accounts (Alibaba Cloud, AWS, Huawei Cloud) of a billing account") { Add(), List(), Remove() };

    private static Command Add()
    {
        var account = BillingAccountCommands.Account();
        var provider = new Option<string>("--provider") { Description = "The cloud: " + string.Join(", ", CliEnum.Names<CloudProvider>()), Required = true };
        CliEnum.AcceptOnly(provider, CliEnum.Names<CloudProvider>());
        var providerAccount = new Option<string>("--provider-account-id") { Description = "The account ID at the cloud (12 digits for AWS)", Required = true };
        var instance = new Option<string>("--instance-id") { Description = "The marketplace instance ID (Alibaba, Huawei) or product/customer ID (AWS)", Required = true };
        var name = new Option<string?>("--name") { Description = "Name shown to people" };
        var command = new Command("add", "Add a cloud-marketplace account") { account, provider, providerAccount, instance, name };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.AddCloudAccountAsync(new AddCloudAccountRequest
            {
                BillingAccountId = context.BillingAccountId(account),
                Provider = CliEnum.Parse<CloudProvider>(context.Get(provider)!),
                ProviderAccountId = context.Get(providerAccount)!,
                MarketplaceInstanceId = context.Get(instance)!,
                DisplayName = context.Get(name) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.CloudAccount]));
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("list", "List the cloud accounts, oldest first") { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.BillingAccounts.ListCloudAccountsAsync(new ListCloudAccountsRequest
                {
                    BillingAccountId = accountId, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.CloudAccounts, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "cloud accounts");
            context.Output.Result(response, () => Table(context, response.CloudAccounts));
            return ExitCodes.Ok;
        });
    }

    private static Command Remove()
    {
        var account = BillingAccountCommands.Account();
        var id = new Argument<string>("cloud-account-id") { Description = "The cloud account to remove, ca_..." };
        var command = new Command("remove", "Remove a cloud account (refused while a workspace settles through it)") { account, id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.RemoveCloudAccountAsync(new RemoveCloudAccountRequest
            {
                BillingAccountId = context.BillingAccountId(account), CloudAccountId = context.Get(id)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Removed {context.Get(id)}."));
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<CloudAccount> accounts) =>
        context.Output.Table(
            ["CLOUD ACCOUNT ID", "PROVIDER", "ACCOUNT AT CLOUD", "INSTANCE", "NAME", "ADDED"],
            accounts.Select(a => new[] { a.CloudAccountId, Display.Enum(a.Provider), a.ProviderAccountId, a.MarketplaceInstanceId, a.DisplayName, Display.Time(a.CreateTime) }),
            "No cloud accounts.");
}
