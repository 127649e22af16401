using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Identity;

/// <summary>
/// Guessing is throttled by the caller's network address together with the account guessed at, never
/// by the account alone: a guesser waits, the owner (from another address) does not; guesses spread
/// over many accounts, and lookups that tell whether an e-mail address or user name exists (SignUp,
/// RegisterBillingAccount, AddMember), are bounded per address. Each test calls from its own addresses
/// (documentation ranges), so that no test counts against another.
/// </summary>
public sealed class GuessThrottlingTests(BillingHost host) : IClassFixture<BillingHost>
{
    /// <summary>Guesses.SignInFailuresAllowed and GuessesAllowedPerAddress, the defaults.</summary>
    private const int PerAccount = 5;
    private const int PerAddress = 30;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task The_owner_signs_in_from_another_address_while_a_guesser_waits()
    {
        var owner = await host.SignUpAsync("owner");
        var guesser = host.Api(clientAddress: "203.0.113.11").Identity;
        var home = host.Api(clientAddress: "198.51.100.11").Identity;
        SignInRequest With(string password) => new() { Email = owner.Email, Password = password };

        for (var i = 0; i < PerAccount; i++)
        {
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => guesser.SignInAsync(With("wrong password")), "INVALID_CREDENTIALS");
        }
        var throttled = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => guesser.SignInAsync(With("correct horse battery")), "SIGN_IN_THROTTLED");
        Assert.Equal(Window, throttled.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());
        // The wait in words too, for the person who reads the message.
        Assert.Contains($"Try again in {(int)Window.TotalMinutes} minutes.", throttled.Status.Detail, StringComparison.Ordinal);

        // The owner is not locked out, and more guesses do not change that.
        await home.SignInAsync(With("correct horse battery"));
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => guesser.SignInAsync(With("wrong password")), "SIGN_IN_THROTTLED");
        await home.SignInAsync(With("correct horse battery"));

        host.Clock.Advance(Window);
        await guesser.SignInAsync(With("correct horse battery"));
    }

    [Fact]
    public async Task The_billing_account_signs_in_from_another_address_while_a_guesser_waits()
    {
        var account = await host.RegisterBillingAccountAsync("guessed");
        var guesser = host.Api(clientAddress: "203.0.113.12").BillingAccounts;
        var office = host.Api(clientAddress: "198.51.100.12").BillingAccounts;
        SignInBillingAccountRequest With(string password) => new() { Username = account.Username, Password = password };

        for (var i = 0; i < PerAccount; i++)
        {
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => guesser.SignInBillingAccountAsync(With("wrong password")), "INVALID_CREDENTIALS");
        }
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => guesser.SignInBillingAccountAsync(With(account.Password)), "SIGN_IN_THROTTLED");
        await office.SignInBillingAccountAsync(With(account.Password));
    }

    [Fact]
    public async Task Guesses_spread_over_many_accounts_from_one_address_are_throttled()
    {
        var owners = new List<TestUser>();
        for (var i = 0; i < 10; i++)
        {
            owners.Add(await host.SignUpAsync("spread"));
        }
        var guesser = host.Api(clientAddress: "203.0.113.13").Identity;

        // 40 guesses, 4 at each account: none reaches the per-account limit, the address does at the 30th.
        var answers = new List<StatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var email = owners[i % owners.Count].Email;
            var error = await Assert.ThrowsAsync<RpcException>(() => guesser.SignInAsync(new SignInRequest { Email = email, Password = "wrong password" }).ResponseAsync);
            answers.Add(error.StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(StatusCode.Unauthenticated, PerAddress).Concat(Enumerable.Repeat(StatusCode.ResourceExhausted, 40 - PerAddress)), answers);

        // The owners, elsewhere, sign in as ever.
        await host.Api(clientAddress: "198.51.100.13").Identity.SignInAsync(new SignInRequest { Email = owners[0].Email, Password = "correct horse battery" });
    }

    [Fact]
    public async Task Lookups_that_tell_whether_a_name_exists_are_throttled_per_address()
    {
        const string prober = "203.0.113.14";
        var known = await host.SignUpAsync("known");
        var knownAccount = await host.RegisterBillingAccountAsync("known");
        var manager = await host.SignUpAsync("manager");
        var workspace = (await manager.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "probe", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var anonymous = host.Api(clientAddress: prober);
        var managerThere = host.Api(manager.Token, prober);
        var signUp = new SignUpRequest { Email = known.Email, Password = "long enough", DisplayName = "Probe" };
        var register = new RegisterBillingAccountRequest { Username = knownAccount.Username, Password = "long enough", Email = "probe@example.com" };
        AddMemberRequest AddUnknown() => new() { WorkspaceId = workspace.WorkspaceId, Email = $"nobody.{Guid.NewGuid():N}@example.com", Role = WorkspaceRole.Standard };

        // SignUp (EMAIL_TAKEN), RegisterBillingAccount (USERNAME_TAKEN) and AddMember (no such user) count together.
        for (var i = 0; i < PerAddress / 3; i++)
        {
            await RpcAssert.Fails(StatusCode.AlreadyExists, () => anonymous.Identity.SignUpAsync(signUp), "EMAIL_TAKEN");
            await RpcAssert.Fails(StatusCode.AlreadyExists, () => anonymous.BillingAccounts.RegisterBillingAccountAsync(register), "USERNAME_TAKEN");
            await RpcAssert.Fails(StatusCode.NotFound, () => managerThere.Workspaces.AddMemberAsync(AddUnknown()), "USER_NOT_FOUND");
        }
        var throttled = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => anonymous.Identity.SignUpAsync(signUp), "GUESSES_THROTTLED");
        Assert.Equal(Window, throttled.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => anonymous.BillingAccounts.RegisterBillingAccountAsync(register), "GUESSES_THROTTLED");
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => managerThere.Workspaces.AddMemberAsync(AddUnknown()), "GUESSES_THROTTLED");

        // Another address is not affected; a sign-up of a new e-mail address never counts.
        var elsewhere = host.Api(clientAddress: "198.51.100.14");
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => elsewhere.Identity.SignUpAsync(signUp), "EMAIL_TAKEN");
        await elsewhere.Identity.SignUpAsync(new SignUpRequest { Email = $"new.{Guid.NewGuid():N}@example.com", Password = "long enough", DisplayName = "New" });
        await host.Api(manager.Token, "198.51.100.14").Workspaces.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = workspace.WorkspaceId, Email = known.Email, Role = WorkspaceRole.Standard,
        });
    }

    [Fact]
    public async Task Activation_code_guessing_is_throttled_per_caller()
    {
        var account = await host.RegisterBillingAccountAsync("redeemer");
        var code = "GUESS-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = Yuan(10m), ExpireTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddDays(10)),
            ActivationCode = code, RequestId = Guid.NewGuid().ToString("N"),
        });
        var guesser = host.Api(account.Token, "203.0.113.15").BillingAccounts;
        RedeemVoucherRequest With(string activationCode) => new() { BillingAccountId = account.Id, ActivationCode = activationCode };

        for (var i = 0; i < PerAccount; i++)
        {
            await RpcAssert.Fails(StatusCode.NotFound, () => guesser.RedeemVoucherAsync(With($"WRONG-CODE-{i:D3}")), "ACTIVATION_CODE_NOT_FOUND");
        }
        var throttled = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => guesser.RedeemVoucherAsync(With(code)), "GUESSES_THROTTLED");
        Assert.Equal(Window, throttled.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());

        // The account, from its office, still redeems its code.
        var redeemed = await host.Api(account.Token, "198.51.100.15").BillingAccounts.RedeemVoucherAsync(With(code));
        Assert.Equal(account.Id, redeemed.Voucher.BillingAccountId);
    }
}
