using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Client;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>Failures the tool finds itself, shaped like the host's, so that they print and exit the same way.</summary>
public static class LocalErrors
{
    public static RpcException NotFound(string reason, string resourceType, string name, string message)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.NotFound, Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = RpcErrorDetails.Domain }));
        status.Details.Add(Any.Pack(new ResourceInfo { ResourceType = resourceType, ResourceName = name, Description = message }));
        return status.ToRpcException();
    }
}
