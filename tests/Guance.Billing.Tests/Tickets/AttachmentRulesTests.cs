using System.IO.Compression;
using Guance.Billing.Common;
using Guance.Billing.Tickets;

namespace Guance.Billing.Tests.Tickets;

/// <summary>The attachment rules of docs/domain.md §8: each type is recognised by its bytes and must match the extension.</summary>
public sealed class AttachmentRulesTests
{
    private static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entries)
            {
                archive.CreateEntry(name);
            }
        }
        return buffer.ToArray();
    }

    private static List<string> Violations(params AttachmentUpload[] attachments)
    {
        var validator = new RequestValidator();
        AttachmentRules.Check(validator, attachments);
        try
        {
            validator.ThrowIfInvalid();
            return [];
        }
        catch (BillingException e)
        {
            return e.FieldViolations.Select(v => v.Field).ToList();
        }
    }

    public static TheoryData<string, byte[]> Matching => new()
    {
        { "a.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1] },
        { "a.gif", "GIF87a.."u8.ToArray() },
        { "a.GIF", "GIF89a.."u8.ToArray() },
        { "a.jpg", [0xFF, 0xD8, 0xFF, 0xDB] },
        { "a.jpeg", [0xFF, 0xD8, 0xFF, 0xE1] },
        { "a.bmp", "BM\u0000\u0000"u8.ToArray() },
        { "a.pdf", "%PDF-1.4"u8.ToArray() },
        { "a.doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0] },
        { "a.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0] },
        { "a.docx", Zip("[Content_Types].xml", "word/document.xml") },
        { "a.xlsx", Zip("[Content_Types].xml", "xl/workbook.xml") },
        { "a.zip", Zip("anything.bin") },
        { "a.rar", "Rar!\u001A\u0007\u0000"u8.ToArray() },
        { "a.txt", "plain text, 中文\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Matching))]
    public void Content_of_the_named_type_is_accepted(string name, byte[] content) =>
        Assert.Empty(Violations(new AttachmentUpload(name, content)));

    [Theory]
    [InlineData("a.png", new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData("a.gif", new byte[] { 0x47, 0x49, 0x46, 0x38, 0x38, 0x61 })] // GIF88a
    [InlineData("a.jpg", new byte[] { 0xFF, 0xD8, 0x00 })]
    [InlineData("a.bmp", new byte[] { 0x42, 0x4E })]
    [InlineData("a.pdf", new byte[] { 0x4D, 0x5A, 0x90, 0x00 })] // a Windows executable
    [InlineData("a.doc", new byte[] { 0x50, 0x4B, 0x03, 0x04 })]
    [InlineData("a.zip", new byte[] { 0x50, 0x4B, 0x05, 0x06 })]
    [InlineData("a.docx", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0 })] // a zip's magic without a readable archive
    [InlineData("a.rar", new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A })]
    [InlineData("a.txt", new byte[] { 0x61, 0x00 })]
    [InlineData("a.txt", new byte[] { 0xC3, 0x28 })]
    public void Content_of_another_type_is_refused(string name, byte[] content) =>
        Assert.Equal(["attachments[0].content"], Violations(new AttachmentUpload(name, content)));

    [Fact]
    public void Office_documents_need_their_own_part()
    {
        Assert.Equal(["attachments[0].content"], Violations(new AttachmentUpload("a.docx", Zip("[Content_Types].xml", "xl/workbook.xml"))));
        Assert.Equal(["attachments[0].content"], Violations(new AttachmentUpload("a.xlsx", Zip("[Content_Types].xml", "word/document.xml"))));
        Assert.Equal(["attachments[0].content"], Violations(new AttachmentUpload("a.docx", Zip("word/document.xml"))));
    }

    [Fact]
    public void Sizes_counts_and_names_are_bounded()
    {
        var text = "x"u8.ToArray();
        Assert.Empty(Violations(new AttachmentUpload("a.txt", Enumerable.Repeat((byte)'a', AttachmentRules.MaxBytes).ToArray())));
        Assert.Equal(["attachments[0].content"], Violations(new AttachmentUpload("a.txt", Enumerable.Repeat((byte)'a', AttachmentRules.MaxBytes + 1).ToArray())));
        Assert.Equal(["attachments"], Violations(Enumerable.Repeat(new AttachmentUpload("a.txt", text), 6).ToArray()));
        Assert.Equal(["attachments[1].file_name", "attachments[2].file_name", "attachments[3].file_name", "attachments[4].file_name"],
            Violations(new AttachmentUpload("ok.txt", text), new AttachmentUpload("a/b.txt", text), new AttachmentUpload(".txt", text),
                new AttachmentUpload("a.exe", text), new AttachmentUpload(" a.txt", text)));
    }
}
