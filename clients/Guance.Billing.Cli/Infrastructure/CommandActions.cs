using System.CommandLine;
using Grpc.Core;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>Runs a command's handler with its context, and turns every failure into one clear line and an exit code.</summary>
public static class CommandActions
{
    public static Command Handle(this Command command, Func<CliContext, CancellationToken, Task<int>> handler)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(parse, handler, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        var environment = CliEnvironment.Process();
        CliContext? context = null;
        try
        {
            context = new CliContext(parse, environment);
            return await handler(context, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            environment.Error.WriteLine("error: interrupted");
            return ExitCodes.Cancelled;
        }
        catch (RpcException e)
        {
            return ErrorReport.Write(environment.Error, e, context!.Server, context.Timeout, context.LoginHint);
        }
        catch (CommandLineException e)
        {
            environment.Error.WriteLine("error: " + e.Message);
            environment.Error.WriteLine(GuanceCli.HelpHint(parse));
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            environment.Error.WriteLine("error: interrupted");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            environment.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            context?.Dispose();
        }
    }
}
