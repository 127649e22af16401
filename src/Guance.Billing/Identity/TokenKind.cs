namespace Guance.Billing.Identity;

/// <summary>The kinds of bearer token; each has its own visible prefix.</summary>
public enum TokenKind
{
    /// <summary>A console user's API or sign-in token (<c>gcu_</c>).</summary>
    User = 1,

    /// <summary>A collector (DataKit) token: one workspace, usage ingestion only (<c>gct_</c>).</summary>
    Collector = 2,

    /// <summary>A billing-center session (<c>gcb_</c>).</summary>
    BillingSession = 3,
}
