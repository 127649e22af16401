using System.CommandLine;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// One top-level command (or group of commands) of guance-billing. Every implementation in this
/// assembly is found and added to the root, in <see cref="Order"/>: a new area (usage, billing
/// accounts, wallet, settlement) is one file in Commands/.
/// </summary>
public interface ICommandGroup
{
    /// <summary>Where the command appears in the help, ascending.</summary>
    int Order { get; }

    IEnumerable<Command> Build();
}
