using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Backpack.Core;

/// <summary>
/// Loggers for what <c>AddBackpack</c> registers. Backpack registers no logging services (registering
/// <c>ILogger&lt;T&gt;</c> would take the place of the host's when <c>AddBackpack</c> runs before <c>AddLogging</c>):
/// it asks for the host's <see cref="ILoggerFactory"/> when the service is made, and logs nowhere without one.
/// </summary>
internal static class BackpackLogging
{
    /// <summary>The host's logger factory, or one that discards everything.</summary>
    public static ILoggerFactory Factory(IServiceProvider services) =>
        services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    /// <summary>A logger for <typeparamref name="T"/> from the host's logger factory (or a null logger).</summary>
    public static ILogger<T> CreateLogger<T>(IServiceProvider services) => Factory(services).CreateLogger<T>();

    /// <summary>Makes <typeparamref name="T"/> with its other dependencies from the container and its logger from <see cref="CreateLogger{T}"/>.</summary>
    public static T Create<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services, CreateLogger<T>(services));

    /// <summary>The process's outbox worker, over the configured outbox store and every registered handler.</summary>
    public static OutboxWorker CreateOutboxWorker(IServiceProvider services) =>
        new(
            services.GetService<IOutboxStore>() ?? throw new InvalidOperationException("The OutboxWorker needs a store that implements IOutboxStore: add one on the Backpack builder (UseSqlite, UsePostgreSql or UseInMemoryStore)."),
            services.GetServices<IOutboxHandler>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<OutboxOptions>>(),
            CreateLogger<OutboxWorker>(services));
}
