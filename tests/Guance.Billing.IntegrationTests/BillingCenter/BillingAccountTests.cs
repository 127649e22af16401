using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class BillingAccountTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public BillingAccountTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    private BillingAccountService.BillingAccountServiceClient Anonymous => host.Api().BillingAccounts;

    [Fact]
    public async Task Register_returns_the_account_and_a_billing_session_that_expires()
    {
        var username = "Acme-" + Guid.NewGuid().ToString("N")[..10];
        var now = host.Clock.GetUtcNow();
        var response = await Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = "password-123", Email = "finance@acme.example", DisplayName = " Acme Finance ",
        });

        var account = response.BillingAccount;
        Assert.StartsWith("ba_", account.BillingAccountId);
        Assert.Equal(username, account.Username);
        Assert.Equal("Acme Finance", account.DisplayName);
        Assert.Equal("finance@acme.example", account.Email);
        Assert.Null(account.Certification);
        Assert.StartsWith("gcb_", response.Token);
        Assert.Equal(now.AddHours(12), response.Session.ExpireTime.ToDateTimeOffset());

        var me = await host.Api(response.Token).BillingAccounts.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.BillingAccountId });
        Assert.Equal(account, me.BillingAccount);
        var wallet = (await host.Api(response.Token).BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.BillingAccountId })).Wallet;
        Assert.Equal(BillingCenterScenario.Zero, wallet.Cash);
        Assert.Equal(BillingCenterScenario.Zero, wallet.Arrears);
        Assert.Null(wallet.ArrearsSince);
    }

    [Fact]
    public async Task Register_names_every_invalid_field()
    {
        await RpcAssert.InvalidFields(() => Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest()), "username", "password", "email");
        await RpcAssert.InvalidFields(() => Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "1starts-with-digit", Password = "short", Email = "not-an-email", DisplayName = new string('x', 65),
        }), "username", "password", "email", "display_name");
        await RpcAssert.InvalidFields(() => Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "ann@example.com", Password = "long enough", Email = "ann@example.com",
        }), "username");
        await RpcAssert.InvalidFields(() => Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "ab", Password = "long enough", Email = "ann@example.com",
        }), "username");
    }

    [Fact]
    public async Task Register_refuses_a_user_name_taken_in_any_case()
    {
        var username = "taken-" + Guid.NewGuid().ToString("N")[..10];
        await Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest { Username = username, Password = "password-123", Email = "a@example.com" });

        var error = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username.ToUpperInvariant(), Password = "password-456", Email = "b@example.com",
        }), "USERNAME_TAKEN");
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<ResourceInfo>());
    }

    [Fact]
    public async Task SignIn_takes_the_user_name_in_any_case_and_does_not_tell_whether_it_exists()
    {
        var account = await host.RegisterBillingAccountAsync("signin");
        var now = host.Clock.GetUtcNow();

        var signedIn = await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username.ToUpperInvariant(), Password = account.Password });
        Assert.Equal(account.Id, signedIn.BillingAccount.BillingAccountId);
        Assert.StartsWith("gcb_", signedIn.Token);
        Assert.Equal(now.AddHours(12), signedIn.Session.ExpireTime.ToDateTimeOffset());
        await host.Api(signedIn.Token).BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.Id });

        var wrongPassword = await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = "wrong password" }), "INVALID_CREDENTIALS");
        var unknownName = await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = "nobody-" + Guid.NewGuid().ToString("N")[..8], Password = "wrong password" }), "INVALID_CREDENTIALS");
        Assert.Equal(wrongPassword.Status.Detail, unknownName.Status.Detail);
    }

    [Fact]
    public async Task Signing_out_ends_that_session_only()
    {
        var account = await host.RegisterBillingAccountAsync("sign-out");
        var other = await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
        var now = host.Clock.GetUtcNow();

        var ended = await account.Client.SignOutBillingAccountAsync(new SignOutBillingAccountRequest());

        Assert.Equal(now, ended.EndedAt.ToDateTimeOffset());
        await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id }), "TOKEN_REVOKED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => account.Client.SignOutBillingAccountAsync(new SignOutBillingAccountRequest()), "TOKEN_REVOKED");
        await host.Api(other.Token).BillingAccounts.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id });
    }

    [Fact]
    public async Task Only_a_billing_center_session_signs_out()
    {
        var console = await host.SignUpAsync("sign-out");

        await RpcAssert.Fails(StatusCode.Unauthenticated, () => Anonymous.SignOutBillingAccountAsync(new SignOutBillingAccountRequest()));
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => host.Operator.BillingAccounts.SignOutBillingAccountAsync(new SignOutBillingAccountRequest()), "BILLING_SESSION_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => console.Api.BillingAccounts.SignOutBillingAccountAsync(new SignOutBillingAccountRequest()), "BILLING_SESSION_REQUIRED");
        // The console token still works: nothing was ended.
        await console.Api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
    }

    [Fact]
    public async Task SignIn_validates_its_fields()
    {
        await RpcAssert.InvalidFields(() => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest()), "username", "password");
    }

    [Fact]
    public async Task Sessions_expire_after_their_lifetime()
    {
        var account = await host.RegisterBillingAccountAsync("expiring");
        host.Clock.Advance(TimeSpan.FromHours(11));
        await account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id });

        host.Clock.Advance(TimeSpan.FromHours(1));
        await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id }), "TOKEN_EXPIRED");
    }

    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_user_name_without_touching_console_sign_ins()
    {
        var account = await host.RegisterBillingAccountAsync("throttle");
        // A console account whose e-mail shares the user name's text.
        var console = await host.Api().Identity.SignUpAsync(new SignUpRequest
        {
            Email = $"{account.Username}@example.com", Password = "console password", DisplayName = "Console twin",
        });
        for (var i = 0; i < 5; i++)
        {
            await RpcAssert.Fails(StatusCode.Unauthenticated,
                () => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = "wrong password" }), "INVALID_CREDENTIALS");
        }

        var throttled = await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password }), "SIGN_IN_THROTTLED");
        Assert.Equal(TimeSpan.FromMinutes(15), throttled.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());
        // The console account is not affected, and its failures do not count for the billing account.
        await host.Api().Identity.SignInAsync(new SignInRequest { Email = console.User.Email, Password = "console password" });

        host.Clock.Advance(TimeSpan.FromMinutes(16));
        await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
    }

    [Fact]
    public async Task GetBillingAccount_is_for_the_account_itself_and_the_operator()
    {
        var account = await host.RegisterBillingAccountAsync("get");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator,
            (client, id) => client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = id }));
        await RpcAssert.InvalidFields(() => account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = "ws_01kb0000000000000000000000" }), "billing_account_id");
        await RpcAssert.InvalidFields(() => account.Client.GetBillingAccountAsync(new GetBillingAccountRequest()), "billing_account_id");
    }

    [Fact]
    public async Task UpdateBillingAccount_changes_the_masked_fields_only_and_never_the_user_name()
    {
        var account = await host.RegisterBillingAccountAsync("update");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var request = new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Email = "billing@new.example", DisplayName = "New name", ContactPhone = "+86 571-8888 0000", Username = "ignored" },
            UpdateMask = new FieldMask { Paths = { "email", "contact_phone" } },
        };
        var updated = (await account.Client.UpdateBillingAccountAsync(request)).BillingAccount;
        Assert.Equal("billing@new.example", updated.Email);
        Assert.Equal("+86 571-8888 0000", updated.ContactPhone);
        Assert.Equal(account.Account.DisplayName, updated.DisplayName);
        Assert.Equal(account.Username, updated.Username);
        Assert.Equal(host.Clock.GetUtcNow(), updated.UpdateTime.ToDateTimeOffset());

        await RpcAssert.InvalidFields(() => account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Username = "renamed" },
            UpdateMask = new FieldMask { Paths = { "username" } },
        }), "update_mask");
        await RpcAssert.InvalidFields(() => account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest { BillingAccountId = account.Id }), "update_mask");
        await RpcAssert.InvalidFields(() => account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Email = "nope", DisplayName = "", ContactPhone = "call me" },
            UpdateMask = new FieldMask { Paths = { "email", "display_name", "contact_phone" } },
        }), "billing_account.email", "billing_account.display_name", "billing_account.contact_phone");

        var unchanged = (await account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id })).BillingAccount;
        Assert.Equal(updated, unchanged);

        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = id,
            BillingAccount = new BillingAccount { DisplayName = "Renamed" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        }));
    }

    [Fact]
    public async Task UpdateBillingAccount_sets_the_language_of_the_notices_and_refuses_one_not_offered()
    {
        var account = await host.RegisterBillingAccountAsync("language");
        Assert.Equal("", account.Account.Language);
        UpdateBillingAccountRequest Language(string language) => new()
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Language = language, DisplayName = "ignored" },
            UpdateMask = new FieldMask { Paths = { "language" } },
        };
        var chinese = (await account.Client.UpdateBillingAccountAsync(Language("zh-CN"))).BillingAccount;
        Assert.Equal(("zh-CN", account.Account.DisplayName), (chinese.Language, chinese.DisplayName));

        await RpcAssert.InvalidFields(() => account.Client.UpdateBillingAccountAsync(Language("fr")), "billing_account.language");
        await RpcAssert.InvalidFields(() => account.Client.UpdateBillingAccountAsync(Language("zh-cn")), "billing_account.language");
        Assert.Equal("zh-CN", (await account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id })).BillingAccount.Language);

        Assert.Equal("", (await account.Client.UpdateBillingAccountAsync(Language(""))).BillingAccount.Language); // back to the site's
    }

    [Fact]
    public async Task ChangePassword_ends_every_other_session_and_keeps_this_one()
    {
        var account = await host.RegisterBillingAccountAsync("password");
        var other = await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
        var current = await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
        var currentClient = host.Api(current.Token).BillingAccounts;

        var changed = await currentClient.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest
        {
            BillingAccountId = account.Id, CurrentPassword = account.Password, NewPassword = "a brand new password",
        });
        Assert.Equal(2, changed.EndedSessions);

        await currentClient.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.Id });
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(other.Token).BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.Id }), "TOKEN_REVOKED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => account.Client.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.Id }), "TOKEN_REVOKED");
        await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password }), "INVALID_CREDENTIALS");
        await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = "a brand new password" });
    }

    [Fact]
    public async Task ChangePassword_checks_the_current_password_and_its_fields()
    {
        var account = await host.RegisterBillingAccountAsync("password-bad");
        await RpcAssert.InvalidFields(() => account.Client.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest
        {
            BillingAccountId = account.Id, CurrentPassword = "not the password", NewPassword = "a brand new password",
        }), "current_password");
        await RpcAssert.InvalidFields(() => account.Client.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest
        {
            BillingAccountId = account.Id,
        }), "current_password", "new_password");
        await RpcAssert.InvalidFields(() => account.Client.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest
        {
            BillingAccountId = account.Id, CurrentPassword = account.Password, NewPassword = account.Password,
        }), "new_password");
        // Nothing changed: the old password still signs in.
        await Anonymous.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });

        var attempt = 0;
        await host.AssertCallersAsync(account, BillingAccess.AccountOnly, (client, id) =>
        {
            // Alternate so that the allowed call can succeed with whatever the password is now.
            var (from, to) = attempt++ % 2 == 0 ? (account.Password, "temporary password") : ("temporary password", account.Password);
            return client.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest { BillingAccountId = id, CurrentPassword = from, NewPassword = to });
        });
    }
}
