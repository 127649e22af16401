using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>billing certification submit/review: the enterprise (real-name) certification.</summary>
public static class CertificationCommands
{
    public static Command Build() => new("certification", "Enterprise (real-name) certification: submit, and review (operator)") { Submit(), Review() };

    private static Command Submit()
    {
        var account = BillingAccountCommands.Account();
        var enterprise = new Option<string>("--enterprise") { Description = "The enterprise's registered name, 2 to 100 characters", Required = true };
        var taxpayer = new Option<string>("--taxpayer-id") { Description = "The unified social credit code (18 characters, check character verified)", Required = true };
        var command = new Command("submit", "Submit the enterprise certification; it waits for an operator's review") { account, enterprise, taxpayer };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
            {
                BillingAccountId = context.BillingAccountId(account), EnterpriseName = context.Get(enterprise)!, TaxpayerId = context.Get(taxpayer)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Show(context, response.Certification));
            return ExitCodes.Ok;
        });
    }

    private static Command Review()
    {
        var account = new Option<string>("--account", "-a") { Description = "The billing account whose pending certification is reviewed", Required = true };
        var approve = new Option<bool>("--approve") { Description = "Approve it" };
        var reject = new Option<string?>("--reject") { Description = "Reject it, with this reason (1 to 500 characters; the account is told)" };
        var command = new Command("review", "Approve or reject a pending certification (operator)") { account, approve, reject };
        command.AddCheck(result =>
        {
            if (result.GetValue(approve) == (result.GetResult(reject) is not null))
            {
                result.AddError("Pass either --approve or --reject \"reason\".");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
            {
                BillingAccountId = context.Get(account)!,
                Decision = context.Get(approve) ? CertificationDecision.Approve : CertificationDecision.Reject,
                RejectReason = context.Get(reject) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Show(context, response.Certification));
            return ExitCodes.Ok;
        });
    }

    private static void Show(CliContext context, EnterpriseCertification certification) =>
        context.Output.Fields(
            ("Certification", certification.CertificationId),
            ("State", Display.Enum(certification.State)),
            ("Enterprise", certification.EnterpriseName),
            ("Taxpayer id", certification.TaxpayerId),
            ("Submitted", Display.Time(certification.SubmitTime)),
            ("Reviewed", Display.Time(certification.ReviewTime)),
            ("Reject reason", certification.RejectReason));
}
