namespace Guance.Billing.Identity;

/// <summary>
/// One row of <see cref="GuessThrottler"/>: the failed guesses counted under one key within the current
/// window, and until when that key waits. A key is a caller's network address with the account it
/// guesses at, or the address alone (see <see cref="GuessThrottler"/>). The table keeps its first name,
/// <c>sign_in_throttles</c>.
/// </summary>
public sealed class GuessThrottle
{
    public required string Key { get; init; }
    public int Failures { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
