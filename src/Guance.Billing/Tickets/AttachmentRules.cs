using System.Globalization;
using System.IO.Compression;
using System.Text;
using Guance.Billing.Common;

namespace Guance.Billing.Tickets;

/// <summary>
/// The attachment rules of docs/domain.md §8: allowed types, at most <see cref="MaxBytes"/> each and
/// <see cref="MaxPerMessage"/> per message, a file name without a path, and content that is of the
/// type its extension names (checked by the bytes, never by the name alone).
/// </summary>
public static class AttachmentRules
{
    public const int MaxPerMessage = 5;

    /// <summary>8 MiB.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    public const int MaxFileNameLength = 255;

    public static readonly IReadOnlyList<string> Extensions =
        ["png", "gif", "jpg", "jpeg", "bmp", "doc", "docx", "pdf", "xls", "xlsx", "txt", "zip", "rar"];

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] OleCompoundFile = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Rar = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks the attachments of one message; each violation names its element (<c>attachments[2].content</c>).</summary>
    public static void Check(RequestValidator validator, IReadOnlyList<AttachmentUpload> attachments)
    {
        if (!validator.Size(attachments.Count, "attachments", MaxPerMessage))
        {
            return;
        }
        for (var i = 0; i < attachments.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"attachments[{i}]");
            var name = attachments[i].FileName;
            var nameProblem = FileNameProblem(name);
            validator.Check(nameProblem is null, field + ".file_name", nameProblem ?? "");
            var contentProblem = ContentProblem(nameProblem is null ? ExtensionOf(name) : null, attachments[i].Content.Span);
            validator.Check(contentProblem is null, field + ".content", contentProblem ?? "");
        }
    }

    /// <summary>The lower-case extension of a valid file name.</summary>
    public static string ExtensionOf(string fileName) =>
        fileName[(fileName.LastIndexOf('.') + 1)..].ToLowerInvariant();

    private static string? FileNameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is required";
        }
        if (name.Length > MaxFileNameLength)
        {
            return $"must be at most {MaxFileNameLength} characters";
        }
        if (name.IndexOfAny(['/', '\\', ':']) >= 0 || name.Any(char.IsControl) || name != name.Trim() || name.StartsWith('.'))
        {
            return "must be a plain file name: no path separators, control characters, leading dot or surrounding spaces";
        }
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || !Extensions.Contains(ExtensionOf(name), StringComparer.Ordinal))
        {
            return "must end in one of ." + string.Join(", .", Extensions);
        }
        return null;
    }

    /// <summary>Why the bytes are not a file of the extension (null when they are); with no valid extension only the size is checked.</summary>
    private static string? ContentProblem(string? extension, ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
        {
            return "must not be empty";
        }
        if (content.Length > MaxBytes)
        {
            return $"must be at most {MaxBytes} bytes (8 MiB)";
        }
        if (extension is null)
        {
            return null;
        }
        var matches = extension switch
        {
            "png" => content.StartsWith(Png),
            "gif" => content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8),
            "jpg" or "jpeg" => content.StartsWith(Jpeg),
            "bmp" => content.StartsWith("BM"u8),
            "pdf" => content.StartsWith("%PDF-"u8),
            "doc" or "xls" => content.StartsWith(OleCompoundFile),
            "zip" => content.StartsWith(Zip),
            "docx" => content.StartsWith(Zip) && ZipHasPart(content, "word/"),
            "xlsx" => content.StartsWith(Zip) && ZipHasPart(content, "xl/"),
            "rar" => content.StartsWith(Rar),
            "txt" => IsText(content),
            _ => false,
        };
        return matches ? null : $"is not a .{extension} file: its content does not match the extension";
    }

    /// <summary>An Office Open XML document: a readable zip with the content types part and an entry under <paramref name="folder"/>.</summary>
    private static bool ZipHasPart(ReadOnlySpan<byte> content, string folder)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content.ToArray(), writable: false), ZipArchiveMode.Read);
            return archive.Entries.Any(e => e.FullName == "[Content_Types].xml")
                && archive.Entries.Any(e => e.FullName.StartsWith(folder, StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static bool IsText(ReadOnlySpan<byte> content)
    {
        if (content.Contains((byte)0))
        {
            return false;
        }
        try
        {
            StrictUtf8.GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
