using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Wallets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Charges of the Charge and ChargeBatch RPCs: requests read into domain inputs, outcomes as messages.</summary>
public static class ChargeMapping
{
    public static ChargeInput ToInput(this V1.ChargeRequest request) => new(
        request.BillingAccountId,
        request.Reference,
        request.Lines.Select(l => new ChargeLineInput(l.ItemCode, l.Amount.ToInput())).ToList(),
        request.Mode == V1.ChargeMode.Unspecified ? null : (ChargeMode)request.Mode,
        request.Description);

    public static V1.ChargeResponse ToMessage(this ChargeOutcome outcome) =>
        new() { Result = outcome.Result.ToMessage(), Wallet = outcome.Wallet.ToMessage(), Replayed = outcome.Replayed };

    /// <summary>A refusal carries what the error of Charge would: its code, reason and message.</summary>
    public static V1.ChargeBatchOutcome ToMessage(this ChargeAttempt attempt) => attempt.Outcome is { } outcome
        ? new V1.ChargeBatchOutcome { Charged = outcome.ToMessage() }
        : new V1.ChargeBatchOutcome
        {
            Refused = new V1.ChargeRefusal
            {
                Code = (int)ErrorMapping.ToCode(attempt.Refusal!.Kind),
                Reason = attempt.Refusal.Reason,
                Message = attempt.Refusal.Message,
            },
        };
}
