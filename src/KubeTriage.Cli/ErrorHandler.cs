using KubeTriage.Names;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli;

/// <summary>Turns any escaped exception into one clean line on stderr and exit code 2; never a stack trace.</summary>
public static class ErrorHandler
{
    public static int Handle(Exception ex)
    {
        var message = ex switch
        {
            UserErrorException or ExpectationsException => ex.Message,
            CommandParseException or CommandRuntimeException => ex.Message,
            OperationCanceledException => "cancelled",
            _ => $"internal error: {ex.GetType().Name}: {ex.Message}",
        };
        if (Environment.GetEnvironmentVariable("KUBETRIAGE_DEBUG") == "1")
        {
            message += Environment.NewLine + ex;
        }

        Console.Error.WriteLine($"kubetriage: {message.ReplaceLineEndings(" ").Trim()}");
        return ExitCodes.ToolError;
    }
}
