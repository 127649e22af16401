using Guance.Billing.Common;

namespace Guance.Billing.Tickets;

/// <summary>The bounds of a ticket's fields (docs/domain.md §8) and the check of multi-line text.</summary>
public static class TicketRules
{
    public const int MaxTitleLength = 100;

    /// <summary>A description or a reply; longer than the host's usual string bound, so the edge lets these fields through to this check.</summary>
    public const int MaxTextLength = 10_000;

    public const int MaxCommentLength = 1_000;
    public const int MaxTitleKeywordLength = MaxTitleLength;

    /// <summary>The automatic close: this long after support's feedback with no answer.</summary>
    public static readonly TimeSpan AutoCloseAfter = TimeSpan.FromDays(7);

    /// <summary>
    /// The most bytes of one request of the ticket service: <see cref="AttachmentRules.MaxPerMessage"/>
    /// attachments of <see cref="AttachmentRules.MaxBytes"/>, plus 64 KiB for the text (10,000
    /// characters are at most 30,000 bytes of UTF-8), the file names and the framing.
    /// </summary>
    public const int MaxRequestBytes = AttachmentRules.MaxPerMessage * AttachmentRules.MaxBytes + 64 * 1024;

    /// <summary>Multi-line text: required, bounded, no control characters but line breaks and tabs.</summary>
    public static RequestValidator MultiLineText(this RequestValidator validator, string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? validator.Check(false, field, "is required") : validator;
        }
        validator.Check(RequestValidator.FitsIn(value, maxLength), field, $"must be at most {maxLength} characters");
        return validator.Check(!value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), field,
            "must not contain control characters other than line breaks and tabs");
    }
}
