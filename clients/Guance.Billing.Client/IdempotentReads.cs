using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Guance.Billing.Client;

/// <summary>
/// The methods that may be retried safely: every Get* and List* method of every service compiled
/// into this assembly, so that a service added to the contract is covered without a change here.
/// </summary>
public static class IdempotentReads
{
    private static readonly Lazy<IReadOnlyList<ServiceDescriptor>> AllServices = new(FindServices);

    /// <summary>The services of the contract (package guance.billing.v1), in name order.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services => AllServices.Value;

    /// <summary>The full names (<c>package.Service/Method</c>) of the idempotent reads.</summary>
    public static IEnumerable<string> MethodNames =>
        Methods.Select(m => $"{m.Service.FullName}/{m.Name}");

    /// <summary>The service config that retries the idempotent reads on UNAVAILABLE.</summary>
    public static ServiceConfig ServiceConfig(RetryOptions retry)
    {
        var methodConfig = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = retry.MaxAttempts,
                InitialBackoff = retry.InitialBackoff,
                MaxBackoff = retry.MaxBackoff,
                BackoffMultiplier = retry.BackoffMultiplier,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in Methods)
        {
            methodConfig.Names.Add(new MethodName { Service = method.Service.FullName, Method = method.Name });
        }
        return new ServiceConfig { MethodConfigs = { methodConfig } };
    }

    private static IEnumerable<MethodDescriptor> Methods =>
        Services.SelectMany(s => s.Methods).Where(IsRead);

    private static bool IsRead(MethodDescriptor method) =>
        !method.IsClientStreaming && (IsVerb(method.Name, "Get") || IsVerb(method.Name, "List"));

    private static bool IsVerb(string name, string verb) =>
        name.Length > verb.Length && name.StartsWith(verb, StringComparison.Ordinal) && char.IsUpper(name[verb.Length]);

    private static List<ServiceDescriptor> FindServices() =>
        typeof(IdempotentReads).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor")?.GetValue(null) as FileDescriptor)
            .OfType<FileDescriptor>()
            .Where(f => f.Package == "guance.billing.v1")
            .SelectMany(f => f.Services)
            .OrderBy(s => s.FullName, StringComparer.Ordinal)
            .ToList();
}
