using Google.Protobuf;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>
/// The request_id of a form's write: the same while the same content is sent again (a retry after a
/// lost answer writes nothing twice), a new one when the content changes or the last one was answered.
/// </summary>
public sealed class RequestIdentity
{
    private ByteString? _last;
    private string _id = "";

    /// <summary>The id for <paramref name="content"/>, a request whose own request_id is still empty.</summary>
    public string For(IMessage content)
    {
        var bytes = content.ToByteString();
        if (_last is null || !_last.Equals(bytes))
        {
            _id = "console-" + Guid.NewGuid().ToString("N");
            _last = bytes;
        }
        return _id;
    }

    /// <summary>The host answered: whatever is sent next is a new request.</summary>
    public void Answered() => _last = null;
}
