using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Sync;

/// <summary>
/// Runs an <see cref="OutboxWorker"/> inside a generic host until the host stops (added by <c>AddOutboxWorker()</c>).
/// When the store fails (a database outage), the service logs the error code and waits
/// <see cref="OutboxOptions.IdleDelay"/> before trying again, instead of stopping the host.
/// </summary>
public sealed partial class OutboxHostedService : BackgroundService
{
    private readonly OutboxWorker _worker;
    private readonly TimeProvider _clock;
    private readonly OutboxOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">The host's logger factory; nothing is logged without one.</param>
    public OutboxHostedService(OutboxWorker worker, TimeProvider clock, IOptions<OutboxOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        _worker = worker;
        _clock = clock;
        _options = options.Value;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OutboxHostedService>();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _worker.DrainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IBackpackError && !stoppingToken.IsCancellationRequested)
            {
                var error = (IBackpackError)ex;
                LogDrainFailed(_logger, _worker.WorkerId, error.ErrorCode, ex.GetType().Name, error.IsTransient);
                n = 0;
            }

            if (n == 0)
            {
                await Task.Delay(_options.IdleDelay, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox worker {WorkerId} could not drain the outbox: error code {ErrorCode}, error type {ErrorType}, transient: {Transient}; trying again after the idle delay.")]
    private static partial void LogDrainFailed(ILogger logger, string workerId, string errorCode, string errorType, bool transient);
}
