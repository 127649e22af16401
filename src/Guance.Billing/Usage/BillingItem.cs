namespace Guance.Billing.Usage;

/// <summary>What usage is counted in. The numeric values equal the contract's enum, so mapping is a cast.</summary>
public enum BillingItem
{
    TimeSeries = 1,
    Logs = 2,
    BackupLogs = 3,
    NetworkHosts = 4,
    SessionReplay = 5,
    ApmTrace = 6,
    ApmProfile = 7,
    RumPv = 8,
    SyntheticTests = 9,
    Triggers = 10,
    Sms = 11,

    /// <summary>Retired: DataKit agents alive 12 hours or more that day. Off unless configured.</summary>
    DataKit = 12,
}

/// <summary>How an item's hourly points make its daily quantity (docs/domain.md §3).</summary>
public enum DailyAggregation
{
    /// <summary>Stock-like: the day's largest hourly point; each collector reports its current value.</summary>
    Max = 1,

    /// <summary>Flow-like: the sum of the day's hourly points; each collector reports increments.</summary>
    Sum = 2,
}
