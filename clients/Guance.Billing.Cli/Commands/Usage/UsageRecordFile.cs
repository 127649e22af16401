using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>
/// The records file of 'usage stream': one record a line, item,quantity[,observed_at]; the item by
/// its CLI name (time-series) or catalog code (time_series); blank lines, # comments and a header
/// line are skipped.
/// </summary>
public static class UsageRecordFile
{
    /// <summary>Reads every record first, so that a bad line is a usage error before anything is sent.</summary>
    public static List<UsageRecord> Read(CliContext context, string path)
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var records = new List<UsageRecord>();
        using var reader = path == "-" ? context.Environment.In : new StreamReader(File.OpenRead(path));
        var number = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#') || (number == 1 && text.StartsWith("item", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length is < 2 or > 3)
            {
                throw new CommandLineException($"{path}:{number}: expected item,quantity[,observed_at], found '{text}'.");
            }
            BillingItem item;
            try
            {
                item = CliEnum.Parse<BillingItem>(parts[0].Replace('_', '-'));
            }
            catch (CommandLineException e)
            {
                throw new CommandLineException($"{path}:{number}: {e.Message}");
            }
            if (!long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity))
            {
                throw new CommandLineException($"{path}:{number}: '{parts[1]}' is not a whole quantity.");
            }
            var observed = now;
            if (parts.Length == 3)
            {
                if (!DateTimeOffset.TryParse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) || !parts[2].Contains('T'))
                {
                    throw new CommandLineException($"{path}:{number}: '{parts[2]}' is not a time such as 2026-11-25T08:00:00Z.");
                }
                observed = Timestamp.FromDateTimeOffset(time);
            }
            records.Add(new UsageRecord { Item = item, Quantity = quantity, ObservedAt = observed });
        }
        if (records.Count == 0)
        {
            throw new CommandLineException($"{path} has no records.");
        }
        return records;
    }
}
