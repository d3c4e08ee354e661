using Backpack.Core;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs the outbox worker in the host.</summary>
public static class OutboxBackpackBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="OutboxHostedService"/>, which drains the outbox with the <see cref="OutboxWorker"/> while the
    /// host runs (the store must implement <see cref="IOutboxStore"/>: SQLite, PostgreSQL and the in-memory store do).
    /// <see cref="OutboxOptions"/> are validated when the host starts, with messages naming the setting and its value.
    /// Safe to call twice: the second call adds nothing but its options configuration.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="configure">Sets the worker's options (batch size, lease, backoff, attempts, idle delay).</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddOutboxWorker(this IBackpackBuilder builder, Action<OutboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        // AddBackpack registered the options' validator and ValidateOnStart (once); here only the hosted service.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxHostedService>());
        return builder;
    }
}
