using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Prepaid cards: a usable card with a balance that expires within 30 days is highlighted (docs/domain.md §6).</summary>
public sealed class PrepaidCardsPageTests : ConsoleContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    public PrepaidCardsPageTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        SignInBillingCenterAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public void Only_usable_cards_with_a_balance_expiring_within_30_days_are_highlighted()
    {
        Host.On<ListPrepaidCardsRequest, ListPrepaidCardsResponse>("BillingAccountService/ListPrepaidCards", _ => new ListPrepaidCardsResponse
        {
            PrepaidCards =
            {
                Card("card_soon", Now.AddDays(30), LotState.Active, 60m),
                Card("card_later", Now.AddDays(30).AddMinutes(1), LotState.Active, 60m),
                Card("card_empty", Now.AddDays(3), LotState.Exhausted, 0m),
                Card("card_gone", Now.AddDays(-1), LotState.Expired, 0m),
            },
        });

        var page = Render<PrepaidCardsPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=prepaid-cards] tbody tr").Count));
        var highlighted = page.FindAll("tr.card-expiring").Select(r => r.TextContent).ToList();
        var soon = Assert.Single(highlighted);
        Assert.Contains("card_soon", soon);
        Assert.Contains("expires soon", soon);
        Assert.Contains("CNY 60.00", soon);
        Assert.Contains("2026-12-02 09:30", soon);
        Assert.Single(page.FindAll("[data-testid=expires-soon]"));
    }

    private static PrepaidCard Card(string id, DateTimeOffset expiry, LotState state, decimal balance) => new()
    {
        PrepaidCardId = id, FaceValue = MoneyAmounts.FromDecimal(100m), Balance = MoneyAmounts.FromDecimal(balance), State = state,
        ExpireTime = Timestamp.FromDateTimeOffset(expiry), IssueTime = Timestamp.FromDateTimeOffset(Now.AddMonths(-1)), Origin = PrepaidCardOrigin.BillingCenter,
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
