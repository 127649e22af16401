using System.Globalization;
using Guance.Billing.Client;
using Guance.Billing.Console.Api;

namespace Guance.Billing.Console.Tickets;

/// <summary>A file picked for a ticket message, before its bytes are read.</summary>
public sealed record PickedFile(string FileName, long Size);

/// <summary>
/// The attachment rules of docs/domain.md §8 that the console can check before uploading anything:
/// the extension, at most 8 MiB each and 5 per message. Whether the content matches its type only
/// the host judges; its violations name the same fields ("attachments[2].content").
/// </summary>
public static class AttachmentCheck
{
    public const int MaxPerMessage = 5;

    /// <summary>8 MiB.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    public static readonly IReadOnlyList<string> Extensions =
        ["png", "gif", "jpg", "jpeg", "bmp", "doc", "docx", "pdf", "xls", "xlsx", "txt", "zip", "rar"];

    /// <summary>The fields of a message's attachments as the host names them in its violations.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["attachments", .. Enumerable.Range(0, MaxPerMessage).Select(i => string.Create(CultureInfo.InvariantCulture, $"attachments[{i}]"))];

    /// <summary>What the file input accepts: ".png,.gif,...".</summary>
    public static string Accept => string.Join(",", Extensions.Select(e => "." + e));

    /// <summary>The violations of <paramref name="files"/>, each named as the host names it; null when all may be uploaded.</summary>
    public static ConsoleError? Check(IReadOnlyList<PickedFile> files)
    {
        var violations = new List<FieldViolation>();
        if (files.Count > MaxPerMessage)
        {
            violations.Add(new FieldViolation("attachments", $"must have at most {MaxPerMessage} files: {files.Count} were picked"));
        }
        for (var i = 0; i < files.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"attachments[{i}]");
            var dot = files[i].FileName.LastIndexOf('.');
            var extension = dot <= 0 ? "" : files[i].FileName[(dot + 1)..].ToLowerInvariant();
            if (!Extensions.Contains(extension, StringComparer.Ordinal))
            {
                violations.Add(new FieldViolation(field + ".file_name", $"{files[i].FileName}: must end in one of ." + string.Join(", .", Extensions)));
            }
            if (files[i].Size == 0)
            {
                violations.Add(new FieldViolation(field + ".content", $"{files[i].FileName}: is empty"));
            }
            else if (files[i].Size > MaxBytes)
            {
                violations.Add(new FieldViolation(field + ".content", $"{files[i].FileName}: must be at most 8 MiB"));
            }
        }
        return violations.Count == 0 ? null : ConsoleError.Local(violations);
    }
}
