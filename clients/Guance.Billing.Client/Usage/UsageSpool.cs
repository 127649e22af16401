using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>
/// Sealed batches on disk, one file each, named by a local id that never changes while the batch's
/// sequence may (a requeue or renumbering rewrites the file in place by an atomic rename), so that a
/// crash at any moment leaves each batch exactly once in the spool.
/// </summary>
internal sealed class UsageSpool(string? directory, bool sync)
{
    private const string Extension = ".usage";

    public bool Persistent => directory is not null;

    /// <summary>The batches left by a previous run, by local id.</summary>
    public IEnumerable<(long LocalId, UsageBatch Batch)> Load()
    {
        if (directory is null)
        {
            yield break;
        }
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            File.Delete(stale);
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(path), out var localId))
            {
                continue;
            }
            UsageBatch batch;
            try
            {
                batch = UsageBatch.Parser.ParseFrom(File.ReadAllBytes(path));
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                // A file cut short cannot exist (files appear by rename), but never let one block the agent.
                File.Move(path, path + ".corrupt", overwrite: true);
                continue;
            }
            yield return (localId, batch);
        }
    }

    /// <summary>Writes a batch's bytes (a serialized UsageBatch) under its local id, replacing what was there atomically.</summary>
    public void Write(long localId, ReadOnlySpan<byte> batch)
    {
        if (directory is null)
        {
            return;
        }
        var path = PathOf(localId);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            file.Write(batch);
            file.Flush(sync);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(long localId)
    {
        if (directory is not null)
        {
            File.Delete(PathOf(localId));
        }
    }

    private string PathOf(long localId) => Path.Combine(directory!, localId.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + Extension);
}
