using Grpc.Core;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>A registered billing-center account and clients that call with its session.</summary>
public sealed record TestBillingAccount(BillingAccount Account, string Token, string Password, Api Api)
{
    public string Id => Account.BillingAccountId;
    public string Username => Account.Username;
    public BillingAccountService.BillingAccountServiceClient Client => Api.BillingAccounts;
}

/// <summary>Who may make a billing-center call.</summary>
public enum BillingAccess
{
    /// <summary>The account itself or the operator.</summary>
    AccountOrOperator,

    /// <summary>The operator only.</summary>
    OperatorOnly,

    /// <summary>The account itself only.</summary>
    AccountOnly,
}

/// <summary>Builds billing-center accounts and money through the public API, and checks who may call what.</summary>
public static class BillingCenterScenario
{
    public const string Password = "correct horse battery";

    public static async Task<TestBillingAccount> RegisterBillingAccountAsync(this BillingHost host, string? name = null)
    {
        var username = $"{name ?? "acct"}-{Guid.NewGuid():N}"[..24];
        var response = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username,
            Password = Password,
            Email = $"{username}@example.com",
        });
        return new TestBillingAccount(response.BillingAccount, response.Token, Password, host.Api(response.Token));
    }

    /// <summary>An amount in CNY from an exact decimal, for example <c>Yuan(12.34m)</c>.</summary>
    public static Money Yuan(decimal amount)
    {
        var units = (long)decimal.Truncate(amount);
        return new Money { CurrencyCode = "CNY", Units = units, Nanos = (int)((amount - units) * 1_000_000_000m) };
    }

    public static Money Zero => Yuan(0);

    public static async Task<RechargeResponse> RechargeAsync(this BillingHost host, string billingAccountId, decimal amount) =>
        await host.Operator.BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = billingAccountId,
            Amount = Yuan(amount),
            RequestId = Guid.NewGuid().ToString("N"),
            PaymentMethod = PaymentMethod.BankTransfer,
        });

    public static async Task<Voucher> GrantVoucherAsync(this BillingHost host, string billingAccountId, decimal amount, VoucherKind kind = VoucherKind.Ordinary,
        TimeSpan? validFor = null) =>
        (await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = billingAccountId,
            Kind = kind,
            Amount = Yuan(amount),
            ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow() + (validFor ?? TimeSpan.FromDays(30))),
            RequestId = Guid.NewGuid().ToString("N"),
        })).Voucher;

    public static async Task<PrepaidCard> IssueCardAsync(this BillingHost host, string billingAccountId, decimal faceValue, TimeSpan? validFor = null) =>
        (await host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = billingAccountId,
            FaceValue = Yuan(faceValue),
            ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow() + (validFor ?? TimeSpan.FromDays(365))),
            RequestId = Guid.NewGuid().ToString("N"),
        })).PrepaidCard;

    public static ChargeRequest Charge(string billingAccountId, params (string Item, decimal Amount)[] lines)
    {
        var request = new ChargeRequest { BillingAccountId = billingAccountId, Reference = "db_" + Guid.NewGuid().ToString("N") };
        request.Lines.Add(lines.Select(l => new ChargeLine { ItemCode = l.Item, Amount = Yuan(l.Amount) }));
        return request;
    }

    public static async Task<Wallet> WalletAsync(this BillingHost host, string billingAccountId) =>
        (await host.Operator.BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = billingAccountId })).Wallet;

    public static async Task AssertLedgerCleanAsync(this BillingHost host, string? billingAccountId = null)
    {
        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = billingAccountId ?? "" });
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
    }

    /// <summary>
    /// Checks every kind of caller against one call about <paramref name="account"/>: the account
    /// itself, another account (NOT_FOUND where the account itself may), the operator, a console user,
    /// a collector, no token; and an unknown account id for the operator. <paramref name="call"/> makes
    /// a fresh request each time (allowed callers succeed, so it must be repeatable).
    /// </summary>
    public static Task AssertCallersAsync<T>(this BillingHost host, TestBillingAccount account, BillingAccess access,
        Func<BillingAccountService.BillingAccountServiceClient, string, AsyncUnaryCall<T>> call) =>
        host.AssertCallersAsync(account, access, async (client, id) => await call(client, id));

    /// <inheritdoc cref="AssertCallersAsync{T}"/>
    public static async Task AssertCallersAsync(this BillingHost host, TestBillingAccount account, BillingAccess access,
        Func<BillingAccountService.BillingAccountServiceClient, string, Task> call)
    {
        var other = await host.RegisterBillingAccountAsync("other");
        var (console, collector) = await host.ConsoleAndCollectorAsync();

        var self = access != BillingAccess.OperatorOnly;
        var byOperator = access != BillingAccess.AccountOnly;
        if (self)
        {
            await call(account.Client, account.Id);
            await RpcAssert.Fails(StatusCode.NotFound, () => call(other.Client, account.Id), "BILLING_ACCOUNT_NOT_FOUND");
        }
        else
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => call(account.Client, account.Id), "OPERATOR_REQUIRED");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => call(other.Client, account.Id), "OPERATOR_REQUIRED");
        }
        if (byOperator)
        {
            await call(host.Operator.BillingAccounts, account.Id);
            await RpcAssert.Fails(StatusCode.NotFound, () => call(host.Operator.BillingAccounts, UnknownAccountId), "BILLING_ACCOUNT_NOT_FOUND");
        }
        else
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => call(host.Operator.BillingAccounts, account.Id), "BILLING_SESSION_REQUIRED");
        }
        var expectedForOthers = access == BillingAccess.OperatorOnly ? "OPERATOR_REQUIRED" : "BILLING_CENTER_ONLY";
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => call(console.BillingAccounts, account.Id), expectedForOthers);
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => call(collector.BillingAccounts, account.Id), expectedForOthers);
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => call(host.Api().BillingAccounts, account.Id), "TOKEN_MISSING");
    }

    /// <summary>Clients calling with a console user's token and with a collector token.</summary>
    public static async Task<(Api Console, Api Collector)> ConsoleAndCollectorAsync(this BillingHost host)
    {
        var console = await host.SignUpAsync("console");
        var workspace = (await console.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "collectors", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var collector = (await console.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest
        {
            WorkspaceId = workspace.WorkspaceId, DisplayName = "agents",
        })).Token;
        return (console.Api, host.Api(collector));
    }

    /// <summary>A well-formed id that no billing account has.</summary>
    public const string UnknownAccountId = "ba_01kb0000000000000000000000";
}
