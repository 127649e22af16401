using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The bound of every string a caller sends, checked at the edge as the request is read, so that a
/// field the domain does not check more strictly (an id, a password, a page token) never carries
/// megabytes into hashing, SQL or an error message. Fields with a tighter rule (names, descriptions,
/// codes) are checked by the domain in their own words.
/// </summary>
public static class RequestStringBounds
{
    /// <summary>The most characters of any string field of a request (README: Limits).</summary>
    public const int MaxLength = 1024;

    /// <summary>The few fields that carry longer text by rule (a ticket's description and replies, a webhook's URL), with their own bound.</summary>
    private static readonly Dictionary<string, int> LongerFields = new(StringComparer.Ordinal)
    {
        ["guance.billing.v1.CreateTicketRequest.description"] = Tickets.TicketRules.MaxTextLength,
        ["guance.billing.v1.ReplyToTicketRequest.text"] = Tickets.TicketRules.MaxTextLength,
        ["guance.billing.v1.WebhookEndpoint.url"] = Notifications.Webhooks.WebhookUrl.MaxLength,
    };

    // Whether a message type holds a string anywhere inside it; a usage batch (thousands of records
    // without strings) is then not walked at all.
    private static readonly ConcurrentDictionary<MessageDescriptor, bool> HoldsStrings = new();

    /// <summary>Throws INVALID_ARGUMENT naming each string field (by its path) that is too long.</summary>
    public static void Check(IMessage request)
    {
        if (!HasStrings(request.Descriptor))
        {
            return;
        }
        var validator = new RequestValidator();
        Walk(request, "", validator);
        validator.ThrowIfInvalid();
    }

    private static void Walk(IMessage message, string prefix, RequestValidator validator)
    {
        var fields = message.Descriptor.Fields.InFieldNumberOrder();
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (field.IsMap || (field.FieldType == FieldType.Message && !HasStrings(field.MessageType)))
            {
                continue;
            }
            if (field.FieldType is not (FieldType.String or FieldType.Message))
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var index = 0;
                foreach (var element in (IList)field.Accessor.GetValue(message))
                {
                    Visit(element, string.Create(CultureInfo.InvariantCulture, $"{prefix}{field.Name}[{index++}]"), validator);
                }
            }
            else if (field.FieldType == FieldType.String || field.Accessor.HasValue(message))
            {
                Visit(field.Accessor.GetValue(message), prefix + field.Name, validator, LongerFields.GetValueOrDefault(field.FullName, MaxLength));
            }
        }
    }

    private static void Visit(object? value, string path, RequestValidator validator, int maxLength = MaxLength)
    {
        if (value is string text)
        {
            if (!RequestValidator.FitsIn(text, maxLength))
            {
                validator.Check(false, path, $"must be at most {maxLength} characters");
            }
        }
        else if (value is IMessage message)
        {
            Walk(message, path + ".", validator);
        }
    }

    // Looked up without allocating: every message of every call asks, and a stream's batches are most of them.
    private static bool HasStrings(MessageDescriptor descriptor) =>
        HoldsStrings.TryGetValue(descriptor, out var known) ? known : HasStrings(descriptor, []);

    private static bool HasStrings(MessageDescriptor descriptor, HashSet<MessageDescriptor> visiting)
    {
        if (HoldsStrings.TryGetValue(descriptor, out var known))
        {
            return known;
        }
        if (!visiting.Add(descriptor))
        {
            return false;
        }
        var holds = descriptor.Fields.InFieldNumberOrder().Any(f =>
            f.FieldType == FieldType.String || (f.FieldType == FieldType.Message && HasStrings(f.MessageType, visiting)));
        visiting.Remove(descriptor);
        return HoldsStrings[descriptor] = holds;
    }
}
