using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Registration;

/// <summary>Rows of the database that a registration may leave, counted straight from the host's database.</summary>
public sealed record RegistrationRows(int Users, int BillingAccounts, int Workspaces, int Wallets);

/// <summary>One-step commercial registrations through the public API, and what they left in the database.</summary>
public static class CommercialRegistrationKit
{
    public const string Password = "correct horse battery";

    /// <summary>A valid request with a fresh e-mail and user name.</summary>
    public static RegisterCommercialRequest NewRequest(string siteCode = "cn1")
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new RegisterCommercialRequest
        {
            Email = $"founder.{suffix}@example.com",
            Password = Password,
            Username = "acme-" + suffix,
            DisplayName = "Acme Founder",
            SiteCode = siteCode,
            WorkspaceName = "Production",
        };
    }

    /// <summary>The console users with this e-mail, billing accounts with this user name (any case), and their workspaces and wallets.</summary>
    public static async Task<RegistrationRows> RowsAsync(this BillingHost host, string email, string username)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var normalizedEmail = email.Trim().ToLowerInvariant();
        var normalizedUsername = username.Trim().ToLowerInvariant();
        var userIds = await db.Users.Where(u => u.Email == normalizedEmail).Select(u => u.Id).ToListAsync();
        var accountIds = await db.BillingAccounts.Where(a => a.NormalizedUsername == normalizedUsername).Select(a => a.Id).ToListAsync();
        return new RegistrationRows(
            userIds.Count,
            accountIds.Count,
            await db.Workspaces.CountAsync(w => userIds.Contains(w.OwnerUserId)),
            await db.Wallets.CountAsync(w => accountIds.Contains(w.BillingAccountId)));
    }
}
