using Grpc.Core;
using Guance.Billing.Identity;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>Where the authentication interceptor leaves the caller of a call.</summary>
public static class CallerContext
{
    private static readonly object Key = typeof(Caller);

    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) ? (Caller)caller : Caller.Anonymous;

    internal static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[Key] = caller;
}
