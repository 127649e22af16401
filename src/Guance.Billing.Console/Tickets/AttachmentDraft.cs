using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Guance.Billing.Console.Api;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components.Forms;

namespace Guance.Billing.Console.Tickets;

/// <summary>
/// The files picked for one ticket message: checked by name and size before a byte is read
/// (<see cref="AttachmentCheck"/>), then read to be sent with the message.
/// </summary>
public sealed partial class AttachmentDraft
{
    private readonly List<TicketAttachmentUpload> _files = [];

    public IReadOnlyList<TicketAttachmentUpload> Files => _files;

    /// <summary>Why the picked files cannot be sent; null when they can.</summary>
    public ConsoleError? Error { get; private set; }

    /// <summary>Replaces the picked files with <paramref name="files"/>, read only when all of them pass the check.</summary>
    public async Task PickAsync(IReadOnlyList<IBrowserFile> files)
    {
        _files.Clear();
        Error = AttachmentCheck.Check(files.Select(f => new PickedFile(f.Name, f.Size)).ToList());
        if (Error is not null)
        {
            return;
        }
        foreach (var file in files)
        {
            await using var content = file.OpenReadStream(AttachmentCheck.MaxBytes);
            _files.Add(new TicketAttachmentUpload { FileName = file.Name, Content = await ByteString.FromStreamAsync(content) });
        }
    }

    /// <summary>
    /// The problems to show under the file input: the console's own, and those the host found in the
    /// files sent (for example content that is not of its extension's type), each with its file's name.
    /// </summary>
    public IEnumerable<string> Problems(ConsoleError? hostError)
    {
        foreach (var violation in Error?.FieldViolations ?? [])
        {
            yield return violation.Description;
        }
        foreach (var violation in hostError?.FieldViolations ?? [])
        {
            var match = ElementOf().Match(violation.Field);
            if (match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _files.Count)
            {
                yield return _files[index].FileName + ": " + violation.Description;
            }
            else if (violation.Field == "attachments")
            {
                yield return violation.Description;
            }
        }
    }

    public void Clear()
    {
        _files.Clear();
        Error = null;
    }

    [GeneratedRegex(@"^attachments\[(\d+)\]")]
    private static partial Regex ElementOf();
}
