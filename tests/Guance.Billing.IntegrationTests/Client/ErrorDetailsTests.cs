using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using FieldViolation = Guance.Billing.Client.FieldViolation;

namespace Guance.Billing.IntegrationTests.Client;

public sealed class ErrorDetailsTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task Invalid_fields_come_back_as_typed_field_violations()
    {
        var user = await host.SignUpAsync("errors");
        var (client, _) = host.BillingClient(user.Token);
        using var __ = client;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "", SiteCode = "mars1", ActivationChannel = ActivationChannel.OfficialWebsite,
        }).ResponseAsync);

        Assert.Equal("INVALID_ARGUMENT", error.GetReason());
        Assert.Equal(RpcErrorDetails.Domain, error.GetErrorInfo()!.Domain);
        Assert.Equal(["name", "site_code"], error.GetBadRequest()!.FieldViolations.Select(v => v.Field).Order());
        var billingError = error.ToBillingError();
        Assert.Equal(StatusCode.InvalidArgument, billingError.Code);
        Assert.Equal(["name", "site_code"], billingError.FieldViolations.Select(v => v.Field).Order());
        Assert.All(billingError.FieldViolations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        Assert.Null(error.GetPreconditionFailure());
        Assert.Null(error.GetQuotaFailure());
    }

    [Fact]
    public async Task A_broken_business_rule_comes_back_as_a_precondition_violation()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var (client, _) = host.BillingClient(workspace.Owner.Token);
        using var __ = client;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest
        {
            WorkspaceId = workspace.Id, DataType = DataType.Logs, Days = 30,
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var violation = Assert.Single(error.GetPreconditionFailure()!.Violations);
        Assert.Equal("RETENTION_FIXED_ON_EXPERIENCE", violation.Type);
        Assert.Equal($"workspaces/{workspace.Id}", violation.Subject);
        var typed = Assert.Single(error.ToBillingError().PreconditionViolations);
        Assert.Equal(new PreconditionViolation(violation.Type, violation.Subject, violation.Description), typed);
    }

    [Fact]
    public async Task Not_found_names_the_resource()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var (client, _) = host.BillingClient(workspace.Outsider.Token);
        using var __ = client;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspace.Id }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("WORKSPACE_NOT_FOUND", error.GetReason());
        Assert.Equal(workspace.Id, error.GetResourceInfo()!.ResourceName);
        var resource = error.ToBillingError().Resource!;
        Assert.Equal(("workspace", workspace.Id), (resource.Type, resource.Name));
        Assert.Equal(workspace.Id, error.ToBillingError().Metadata["workspace_id"]);
    }

    [Fact]
    public async Task Throttling_says_when_to_retry()
    {
        var user = await host.SignUpAsync("throttle");
        var (client, _) = host.BillingClient();
        using var __ = client;
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => client.Identity.SignInAsync(new SignInRequest { Email = user.Email, Password = "wrong password" }).ResponseAsync);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Identity.SignInAsync(new SignInRequest { Email = user.Email, Password = "correct horse battery" }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("SIGN_IN_THROTTLED", error.GetReason());
        Assert.NotNull(error.GetRetryInfo());
        Assert.True(error.GetRetryDelay() > TimeSpan.Zero);
        Assert.Equal(error.GetRetryDelay(), error.ToBillingError().RetryDelay);
    }

    [Fact]
    public void An_exhausted_quota_comes_back_as_a_quota_violation()
    {
        // No RPC of the foundation exhausts a quota yet, so the status is built as the host builds it.
        var status = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = "The daily quota of logs is used up." };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = "EXPERIENCE_QUOTA_EXHAUSTED", Domain = RpcErrorDetails.Domain }));
        status.Details.Add(Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "logs", Description = "1000000 per day" } } }));

        var error = status.ToRpcException();

        Assert.Equal("logs", Assert.Single(error.GetQuotaFailure()!.Violations).Subject);
        Assert.Equal(new QuotaViolation("logs", "1000000 per day"), Assert.Single(error.ToBillingError().QuotaViolations));
        Assert.Equal("The daily quota of logs is used up.", error.ToBillingError().Message);
    }

    [Fact]
    public void A_failure_without_details_gives_empty_values_not_errors()
    {
        var error = new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel."));

        var billingError = error.ToBillingError();

        Assert.Null(error.GetErrorInfo());
        Assert.Null(error.GetReason());
        Assert.Null(error.GetBadRequest());
        Assert.Null(error.GetRetryDelay());
        Assert.Equal(StatusCode.Unavailable, billingError.Code);
        Assert.Equal("Error connecting to subchannel.", billingError.Message);
        Assert.Empty(billingError.FieldViolations);
        Assert.Empty(billingError.Metadata);
        Assert.Null(billingError.Resource);
    }

    [Fact]
    public void The_text_form_is_one_line_then_one_line_per_violation()
    {
        var error = new BillingError(StatusCode.InvalidArgument, "The request has invalid fields.", "INVALID_ARGUMENT",
            new Dictionary<string, string>(), [new FieldViolation("name", "must not be empty"), new FieldViolation("site_code", "unknown site")],
            [], [], null, null);

        Assert.Equal("The request has invalid fields (INVALID_ARGUMENT)\n  name: must not be empty\n  site_code: unknown site", error.ToString());
    }

    [Fact]
    public void A_rule_or_quota_that_only_repeats_the_message_is_named_without_it()
    {
        const string message = "The invoice has nothing left to invoice.";
        var error = new BillingError(StatusCode.FailedPrecondition, message, "INVOICE_BALANCE_EXCEEDED", new Dictionary<string, string>(), [],
            [new PreconditionViolation("INVOICE_BALANCE_EXCEEDED", "invoice_sources/mb_1", message), new PreconditionViolation("OTHER_RULE", "invoice_sources/mb_2", "Another sentence.")],
            [new QuotaViolation("logs", message)], null, null);

        Assert.Equal(
            message + " (INVOICE_BALANCE_EXCEEDED)\n  INVOICE_BALANCE_EXCEEDED on invoice_sources/mb_1\n  OTHER_RULE on invoice_sources/mb_2: Another sentence.\n  quota logs",
            error.ToString());
    }
}
