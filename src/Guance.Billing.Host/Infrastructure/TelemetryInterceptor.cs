using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Names the workspace and billing account of a call on its span, from the request's
/// <c>workspace_id</c> and <c>billing_account_id</c> fields, so that traces can be searched by customer.
/// </summary>
public sealed class TelemetryInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Tag(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Tag(request);
        return continuation(request, responseStream, context);
    }

    private static void Tag(object request)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity || request is not IMessage message)
        {
            return;
        }
        TagField(activity, message, "workspace_id", BillingTelemetry.WorkspaceAttribute);
        TagField(activity, message, "billing_account_id", BillingTelemetry.BillingAccountAttribute);
    }

    private static void TagField(Activity activity, IMessage message, string field, string attribute)
    {
        if (message.Descriptor.FindFieldByName(field) is { FieldType: Google.Protobuf.Reflection.FieldType.String, IsRepeated: false } descriptor
            && descriptor.Accessor.GetValue(message) is string { Length: > 0 } value)
        {
            activity.SetTag(attribute, value);
        }
    }
}
