namespace Guance.Billing.Tickets;

/// <summary>What a ticket is about (docs/domain.md §8); values equal the contract's.</summary>
public enum TicketType
{
    BillingQuestion = 1,
    Invoice = 2,
    RechargeAndPayment = 3,
    SettlementMethod = 4,
    AccountAndCertification = 5,
    PurchaseInquiry = 6,
    BugReport = 7,
    FeatureRequest = 8,
    Other = 9,
}

/// <summary>The states of a ticket (docs/domain.md §8); values equal the contract's.</summary>
public enum TicketState
{
    WaitingForAssignment = 1,
    WaitingForFeedback = 2,
    FeedbackProvided = 3,
    Closed = 4,
    Cancelled = 5,
}

/// <summary>Who wrote a message of a ticket's thread; values equal the contract's.</summary>
public enum TicketAuthor
{
    Submitter = 1,
    Support = 2,
}
