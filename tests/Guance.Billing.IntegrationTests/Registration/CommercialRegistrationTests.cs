using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Registration.CommercialRegistrationKit;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Registration;

/// <summary>
/// RegisterCommercial (docs/domain.md §1, §8): console account, billing account and a commercial workspace
/// bound to it, created together or not at all; billing starts at the registration instant (§2).
/// </summary>
public sealed class CommercialRegistrationTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public CommercialRegistrationTests(BillingHost host)
    {
        this.host = host;
        host.WithLongSessions();
    }

    private IdentityService.IdentityServiceClient Anonymous => host.Api().Identity;

    [Fact]
    public async Task Registration_makes_a_commercial_workspace_bound_to_the_new_billing_account_and_owned_by_the_new_user()
    {
        var request = NewRequest();
        request.Email = request.Email.ToUpperInvariant();
        var now = host.Clock.GetUtcNow();
        var response = await Anonymous.RegisterCommercialAsync(request);

        Assert.Equal(request.Email.ToLowerInvariant(), response.User.Email);
        Assert.Equal(request.Username, response.BillingAccount.Username);
        Assert.Equal(response.User.Email, response.BillingAccount.Email);
        Assert.Equal("Acme Founder", response.BillingAccount.DisplayName);
        Assert.StartsWith("gcb_", response.BillingToken);
        var workspace = response.Workspace;
        Assert.Equal((Plan.Commercial, "cn1", ActivationChannel.OfficialWebsite, response.User.UserId, WorkspaceRole.Owner),
            (workspace.Plan, workspace.SiteCode, workspace.ActivationChannel, workspace.OwnerUserId, workspace.CallerRole));
        Assert.Equal(now, workspace.UpgradeTime.ToDateTimeOffset());
        Assert.Equal(now, workspace.CreateTime.ToDateTimeOffset());
        Assert.Contains(workspace.Retentions, r => r.DataType == DataType.Logs && r.Days == 14);

        // The console token is the Owner's; the billing session sees the workspace bound.
        var console = host.Api(response.Token);
        var fetched = (await console.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspace.WorkspaceId })).Workspace;
        Assert.Equal(WorkspaceRole.Owner, fetched.CallerRole);
        var billing = host.Api(response.BillingToken).BillingAccounts;
        var bound = await billing.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = response.BillingAccount.BillingAccountId });
        Assert.Equal([workspace.WorkspaceId], bound.Workspaces.Select(w => w.WorkspaceId));
        var settlement = await host.SettlementAsync(workspace.WorkspaceId);
        Assert.Equal((Plan.Commercial, response.BillingAccount.BillingAccountId, SettlementMethod.BillingCenter),
            (settlement.Plan, settlement.BillingAccountId, settlement.Method));

        // Both accounts sign in with the one password.
        await Anonymous.SignInAsync(new SignInRequest { Email = request.Email, Password = Password });
        await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = request.Username, Password = Password });
    }

    [Fact]
    public async Task Usage_from_the_registration_instant_is_billed_on_the_day_close()
    {
        var day = host.StartNextChinaDay();
        host.MoveClockTo(At(day, 10, 30));
        var response = await Anonymous.RegisterCommercialAsync(NewRequest());
        await host.RechargeAsync(response.BillingAccount.BillingAccountId, 10m);
        var token = (await host.Api(response.Token).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest
        {
            WorkspaceId = response.Workspace.WorkspaceId, DisplayName = "agents",
        })).Token;

        // 2,000,000 logs in the registration's own hour: past the experience quota (1,000,000), so only a commercial workspace takes them.
        await host.Api(token).ReportAsync("host-1", 1, Record(BillingItem.Logs, 2_000_000, At(day, 10, 30)));

        host.MoveClockTo(At(day.AddDays(1), 0, 30));
        await host.CloseDayAsync("cn1", day);
        var bill = await host.BillAsync(response.Workspace.WorkspaceId, day);
        // Logs at 14 days' retention on CN: 2,000,000 / 1,000,000 = 2.00 units × 1.50 = 3.00.
        Assert.Equal([(BillingItem.Logs, 2_000_000L, "2.00", 300L)], bill.Lines.Select(l => (l.Item, l.Quantity, l.Units, l.Amount.Cents())));
        var wallet = await host.WalletAsync(response.BillingAccount.BillingAccountId);
        Assert.Equal(700, wallet.Cash.Cents());
    }

    [Fact]
    public async Task China_4_registers_settling_through_the_billing_center()
    {
        var response = await Anonymous.RegisterCommercialAsync(NewRequest("cn4"));

        Assert.Equal(("cn4", Plan.Commercial), (response.Workspace.SiteCode, response.Workspace.Plan));
        var settlement = await host.SettlementAsync(response.Workspace.WorkspaceId);
        Assert.Equal(SettlementMethod.BillingCenter, settlement.Method);
    }

    [Fact]
    public async Task Registration_sends_the_upgrade_notice_once_to_the_one_address_of_account_and_Owner()
    {
        var now = host.Clock.GetUtcNow();
        var response = await Anonymous.RegisterCommercialAsync(NewRequest());

        // The billing account and the Owner share the e-mail, so the notice (docs/domain.md §9) goes to it once,
        // in the China site's language, naming the workspace and when the billing starts.
        var notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = response.BillingAccount.BillingAccountId, Kinds = { NotificationKind.WorkspaceUpgraded },
        })).Notifications;
        var notice = Assert.Single(notices);
        Assert.Equal(response.User.Email, notice.Recipient);
        Assert.Equal($"工作空间 {response.Workspace.Name} 已升级为商业版", notice.Subject);
        Assert.Contains(response.Workspace.WorkspaceId, notice.Body, StringComparison.Ordinal);
        Assert.Contains(now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), notice.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_email_creates_neither_billing_account_nor_workspace()
    {
        var existing = await host.SignUpAsync("early");
        var request = NewRequest();
        request.Email = existing.Email.ToUpperInvariant();

        var error = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Anonymous.RegisterCommercialAsync(request), "EMAIL_TAKEN");
        Assert.Contains("e-mail", error.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(new RegistrationRows(1, 0, 0, 0), await host.RowsAsync(existing.Email, request.Username));
        Assert.Empty((await existing.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest())).Workspaces);
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().BillingAccounts.SignInBillingAccountAsync(
            new SignInBillingAccountRequest { Username = request.Username, Password = Password }), "INVALID_CREDENTIALS");
    }

    [Fact]
    public async Task A_taken_user_name_creates_no_console_account()
    {
        var existing = await host.RegisterBillingAccountAsync("early");
        var request = NewRequest();
        request.Username = existing.Username.ToUpperInvariant();

        var error = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Anonymous.RegisterCommercialAsync(request), "USERNAME_TAKEN");
        Assert.Contains("user name", error.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(new RegistrationRows(0, 1, 0, 1), await host.RowsAsync(request.Email, existing.Username));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => Anonymous.SignInAsync(new SignInRequest { Email = request.Email, Password = Password }),
            "INVALID_CREDENTIALS");
    }

    [Fact]
    public async Task Bad_input_names_every_field_and_creates_nothing()
    {
        await RpcAssert.InvalidFields(() => Anonymous.RegisterCommercialAsync(new RegisterCommercialRequest()),
            "email", "password", "username", "display_name", "site_code", "workspace_name");
        var request = new RegisterCommercialRequest
        {
            Email = "not-an-email", Password = "short", Username = "1starts-with-digit", DisplayName = new string('x', 65),
            SiteCode = "cn3", WorkspaceName = new string('w', 65),
        };
        await RpcAssert.InvalidFields(() => Anonymous.RegisterCommercialAsync(request),
            "email", "password", "username", "display_name", "site_code", "workspace_name");

        var onlySite = NewRequest();
        onlySite.SiteCode = "nowhere";
        await RpcAssert.InvalidFields(() => Anonymous.RegisterCommercialAsync(onlySite), "site_code");
        Assert.Equal(new RegistrationRows(0, 0, 0, 0), await host.RowsAsync(onlySite.Email, onlySite.Username));
    }

    [Fact]
    public async Task Of_two_concurrent_registrations_with_one_user_name_exactly_one_succeeds()
    {
        var first = NewRequest();
        var second = NewRequest();
        second.Username = first.Username;

        var outcomes = await Task.WhenAll(new[] { first, second }.Select(async request =>
        {
            try
            {
                await host.Api().Identity.RegisterCommercialAsync(request);
                return "ok";
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                return "taken";
            }
        }));

        Assert.Equal(["ok", "taken"], outcomes.Order());
        var rows = new[] { await host.RowsAsync(first.Email, first.Username), await host.RowsAsync(second.Email, second.Username) };
        // One e-mail has its user, workspace and the one billing account; the other e-mail has nothing.
        Assert.Equal(1, rows.Sum(r => r.Users));
        Assert.Equal(1, rows.Sum(r => r.Workspaces));
        Assert.All(rows, r => Assert.Equal((1, 1), (r.BillingAccounts, r.Wallets)));
    }

    [Fact]
    public async Task A_retried_registration_is_refused_and_its_tokens_are_not_shown_again()
    {
        var request = NewRequest();
        await Anonymous.RegisterCommercialAsync(request);

        await RpcAssert.Fails(StatusCode.AlreadyExists, () => Anonymous.RegisterCommercialAsync(request), "EMAIL_TAKEN");
        Assert.Equal(new RegistrationRows(1, 1, 1, 1), await host.RowsAsync(request.Email, request.Username));
    }

    [Fact]
    public async Task Taken_names_count_towards_the_guess_throttle_of_the_address()
    {
        var existing = await host.SignUpAsync("early");
        var client = host.Api(clientAddress: "203.0.113.77").Identity;
        var allowed = 30;
        for (var attempt = 0; attempt < allowed; attempt++)
        {
            var request = NewRequest();
            request.Email = existing.Email;
            await RpcAssert.Fails(StatusCode.AlreadyExists, () => client.RegisterCommercialAsync(request), "EMAIL_TAKEN");
        }

        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => client.RegisterCommercialAsync(NewRequest()), "GUESSES_THROTTLED");
    }

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8));
}
