using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;

namespace Guance.Billing.Wallets;

/// <summary>
/// The ChargeBatch RPC: operators charge many accounts in one call. Each entry is a charge of its own,
/// exactly as the Charge RPC would make it one entry after the other (idempotent by its reference, a
/// refusal only its own result), committed through the same group commit (<see cref="ChargeWriter"/>):
/// the batch in groups of at most <see cref="WalletOptions.MaxChargesPerCommit"/>, one wallet write each.
/// A malformed entry refuses the whole call, before anything changes.
/// </summary>
public sealed class ChargeBatches(ChargeWriter writer)
{
    public const int MaxCharges = 1000;

    /// <summary>One attempt per entry, in the order of <paramref name="charges"/>.</summary>
    public Task<IReadOnlyList<ChargeAttempt>> ChargeAsync(Caller caller, IReadOnlyList<ChargeInput> charges, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var validator = new RequestValidator();
        var requests = new List<ChargeRequest>(charges.Count);
        if (validator.Size(charges.Count, "charges", MaxCharges, min: 1))
        {
            for (var i = 0; i < charges.Count; i++)
            {
                if (ChargeEngine.Read(charges[i], validator, $"charges[{i}].") is { } request)
                {
                    requests.Add(request);
                }
            }
        }
        validator.ThrowIfInvalid();
        return writer.ChargeManyAsync(requests, cancellationToken);
    }
}
