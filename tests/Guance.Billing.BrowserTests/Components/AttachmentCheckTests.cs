using Guance.Billing.Console.Tickets;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>What the console checks of a ticket's files before uploading them (docs/domain.md §8).</summary>
public sealed class AttachmentCheckTests
{
    [Fact]
    public void Files_of_the_allowed_types_up_to_8_MiB_pass()
    {
        Assert.Null(AttachmentCheck.Check([new PickedFile("screen.PNG", 1), new PickedFile("bill.xlsx", AttachmentCheck.MaxBytes)]));
    }

    [Fact]
    public void Each_bad_file_is_named_as_the_host_names_it()
    {
        var error = AttachmentCheck.Check([new PickedFile("ok.txt", 10), new PickedFile("run.exe", 10), new PickedFile("big.pdf", AttachmentCheck.MaxBytes + 1), new PickedFile("empty.txt", 0)]);

        Assert.NotNull(error);
        Assert.Null(error.For("attachments[0]"));
        Assert.Contains("run.exe: must end in one of .png", error.For("attachments[1].file_name"), StringComparison.Ordinal);
        Assert.Contains("big.pdf: must be at most 8 MiB", error.For("attachments[2].content"), StringComparison.Ordinal);
        Assert.Contains("empty.txt: is empty", error.For("attachments[3].content"), StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_five_files_are_refused_as_a_whole()
    {
        var error = AttachmentCheck.Check(Enumerable.Range(1, 6).Select(i => new PickedFile($"f{i}.txt", 1)).ToList());

        Assert.Equal(["attachments"], error!.FieldViolations.Select(v => v.Field));
    }
}
