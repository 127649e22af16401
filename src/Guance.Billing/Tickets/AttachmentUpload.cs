namespace Guance.Billing.Tickets;

/// <summary>A file sent with a ticket message, as the caller sent it.</summary>
public sealed record AttachmentUpload(string FileName, ReadOnlyMemory<byte> Content);
