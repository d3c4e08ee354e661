using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Sync;

/// <summary>Runs an <see cref="OutboxWorker"/> inside a generic host until the host stops.</summary>
public sealed class OutboxHostedService : BackgroundService
{
    private readonly OutboxWorker _worker;
    private readonly TimeProvider _clock;
    private readonly OutboxOptions _options;

    /// <summary>Creates the service.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The settings.</param>
    public OutboxHostedService(OutboxWorker worker, TimeProvider clock, IOptions<OutboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _worker = worker;
        _clock = clock;
        _options = options.Value;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var n = await _worker.DrainAsync(stoppingToken).ConfigureAwait(false);
            if (n == 0)
            {
                await Task.Delay(_options.IdleDelay, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
