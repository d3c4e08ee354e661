using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Backpack.Core.Testing.Tests.TestData;

namespace Backpack.Core.Testing.Tests;

/// <summary>Backpack inside a generic host: the host's logging, the outbox worker from the container, and the hosted worker.</summary>
public sealed class OutboxHostingTests
{
    [Fact]
    public async Task AddBackpack_ThenAddLogging_BackpackLogLineReachesProvider()
    {
        var capture = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddBackpack(o => o.DistrictId = "jeffco").UseInMemoryStore();
        services.AddLogging(b => b.AddProvider(capture));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<IBackpackStore>().SaveAsync(new ChangeSet().Put(Message(1) with { Operation = "drive.unknown" }));

        await provider.GetRequiredService<OutboxWorker>().DrainAsync();
        provider.GetRequiredService<ILogger<OutboxHostingTests>>().LogInformation("The host's own line.");

        Assert.Contains(capture.Lines, l => l.Category == typeof(OutboxWorker).FullName && l.Level == LogLevel.Error && l.Message.Contains("outbox.no-handler", StringComparison.Ordinal));
        Assert.Contains(capture.Lines, l => l.Message == "The host's own line.");
    }

    [Fact]
    public void AddBackpack_WithoutLogging_RegistersNoLoggerAndServicesResolve()
    {
        var services = new ServiceCollection();
        services.AddBackpack(o => o.DistrictId = "jeffco").UseInMemoryStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ILogger<>) || d.ServiceType == typeof(ILoggerFactory));
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<FrameworkService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<BackpackService>());
        Assert.NotNull(provider.GetRequiredService<OutboxWorker>());
    }

    [Fact]
    public async Task AddOutboxWorker_GenericHost_DrainsTheOutboxWhileRunning()
    {
        var handler = new SignallingHandler();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IOutboxHandler>(handler);
        builder.Services.AddBackpack(o => o.DistrictId = "jeffco").UseInMemoryStore().AddOutboxWorker(o => o.IdleDelay = TimeSpan.FromMilliseconds(20));
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<InMemoryBackpackStore>();

        await host.StartAsync();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var handled = await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();

        Assert.Equal("key-1", handled.Message.IdempotencyKey);
        Assert.Equal(1, (await store.CountAsync()).Completed);
    }

    [Fact]
    public async Task AddOutboxWorker_InvalidOptions_HostStartFailsNamingSettingsAndValues()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddBackpack(o => o.DistrictId = "jeffco").UseInMemoryStore().AddOutboxWorker(o =>
        {
            o.BatchSize = 0;
            o.MaxAttempts = -2;
            o.IdleDelay = TimeSpan.Zero;
            o.InitialBackoff = TimeSpan.FromMinutes(5);
            o.MaxBackoff = TimeSpan.FromMinutes(1);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("Outbox:BatchSize is 0:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Outbox:MaxAttempts is -2:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Outbox:IdleDelay is 00:00:00:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Outbox:MaxBackoff is 00:01:00:", StringComparison.Ordinal));
    }

    [Fact]
    public void AddOutboxWorker_CalledTwice_AddsTheHostedServiceOnceAndKeepsBothConfigurations()
    {
        var services = new ServiceCollection();
        var builder = services.AddBackpack(o => o.DistrictId = "jeffco").UseInMemoryStore().AddOutboxWorker(o => o.BatchSize = 8);
        var count = services.Count;

        builder.AddOutboxWorker(o => o.MaxAttempts = 4);

        Assert.Equal(count + 1, services.Count);
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<OutboxOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(OutboxWorker));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<OutboxOptions>>().Value;
        Assert.Equal((8, 4), (options.BatchSize, options.MaxAttempts));
    }

    private sealed class SignallingHandler : IOutboxHandler
    {
        public TaskCompletionSource<OutboxEntry> Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Operation => "drive.ensureFolder";

        public Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
        {
            Handled.TrySetResult(entry);
            return Task.CompletedTask;
        }
    }
}
