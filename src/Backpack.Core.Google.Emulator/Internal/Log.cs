using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Emulator.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Google emulator listening on {BaseUri}")]
    public static partial void Started(ILogger logger, Uri baseUri);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Injected fault {Kind} into {Method}")]
    public static partial void FaultInjected(ILogger logger, FaultKind kind, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Rate limited {Method}")]
    public static partial void RateLimited(ILogger logger, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Unexpected emulator failure on {Method} {Path}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method, string path);
}
