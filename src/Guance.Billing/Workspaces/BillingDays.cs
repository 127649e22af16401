namespace Guance.Billing.Workspaces;

/// <summary>
/// The billing days a request may name: every calendar day whose next day and whose start and end
/// in any site's time zone can be represented (docs/domain.md §2: a billing day is site-local), so
/// that closing or pricing such a day never overflows a date.
/// </summary>
public static class BillingDays
{
    public static readonly DateOnly First = new(1, 1, 2);
    public static readonly DateOnly Last = new(9999, 12, 30);

    public const string Rule = "must be a calendar date from 0001-01-02 to 9999-12-30";

    public static bool IsInRange(DateOnly day) => day >= First && day <= Last;
}
