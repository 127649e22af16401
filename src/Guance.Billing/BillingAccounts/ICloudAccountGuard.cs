namespace Guance.Billing.BillingAccounts;

/// <summary>
/// Tells whether workspaces settle through a cloud account, so that it cannot be removed under them.
/// Daily settlement owns settlement methods and registers its own implementation
/// (<c>services.AddScoped&lt;ICloudAccountGuard, ...&gt;()</c>, which replaces this default).
/// </summary>
public interface ICloudAccountGuard
{
    /// <summary>The workspaces that settle through the cloud account now (empty when none).</summary>
    Task<IReadOnlyList<string>> WorkspacesSettlingThroughAsync(string cloudAccountId, CancellationToken cancellationToken);
}

/// <summary>Until settlement methods exist, no workspace settles through a cloud account.</summary>
public sealed class NoCloudSettlementYet : ICloudAccountGuard
{
    public Task<IReadOnlyList<string>> WorkspacesSettlingThroughAsync(string cloudAccountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
