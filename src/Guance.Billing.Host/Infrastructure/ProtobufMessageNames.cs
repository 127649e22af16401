using System.Reflection;
using Google.Protobuf.Reflection;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>The protobuf name of a generated message type (guance.billing.v1.GetWalletRequest), as MALFORMED_REQUEST reports it.</summary>
public static class ProtobufMessageNames
{
    /// <summary>The message's full protobuf name, from its generated static <c>Descriptor</c>; the CLR name for any other type.</summary>
    public static string Of(Type type) =>
        (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor)?.FullName ?? type.Name;
}
