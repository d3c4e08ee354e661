using System.Collections.Concurrent;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Backpack.Core.Testing.Tests.TestData;

namespace Backpack.Core.Testing.Tests;

public sealed class OutboxTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task LeaseAsync_ThreeConcurrentWorkers_EveryEntryCompletesExactlyOnce()
    {
        var store = new InMemoryBackpackStore();
        const int entries = 600;
        var changes = new ChangeSet();
        for (var i = 0; i < entries; i++)
        {
            changes.Put(Message(i));
        }

        await store.SaveAsync(changes);
        var completions = new ConcurrentDictionary<long, int>();
        var leasedBy = new ConcurrentDictionary<long, string>();

        async Task Work(string worker)
        {
            while (true)
            {
                var batch = await store.LeaseAsync(worker, 7, Lease, T0);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var entry in batch)
                {
                    Assert.True(leasedBy.TryAdd(entry.Id, worker), $"Entry {entry.Id} was leased twice.");
                    Assert.Equal(1, entry.Attempts);
                    Assert.Equal(worker, entry.LeaseOwner);
                    if (await store.CompleteAsync(entry, worker, T0))
                    {
                        completions.AddOrUpdate(entry.Id, 1, (_, n) => n + 1);
                    }
                }

                await Task.Yield();
            }
        }

        await Task.WhenAll(Task.Run(() => Work("w1")), Task.Run(() => Work("w2")), Task.Run(() => Work("w3")));

        Assert.Equal(entries, completions.Count);
        Assert.All(completions.Values, n => Assert.Equal(1, n));
        Assert.Equal(new OutboxCounts(0, entries, 0), await store.CountAsync());
    }

    [Fact]
    public async Task LeaseAsync_ExpiredLeaseOfCrashedWorker_IsTakenOver()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var crashed = Assert.Single(await store.LeaseAsync("crashed", 10, Lease, T0));

        Assert.Empty(await store.LeaseAsync("w2", 10, Lease, T0 + TimeSpan.FromMinutes(1)));
        var takenOver = Assert.Single(await store.LeaseAsync("w2", 10, Lease, T0 + Lease));

        Assert.Equal(crashed.Id, takenOver.Id);
        Assert.Equal(2, takenOver.Attempts);
        Assert.Equal("w2", takenOver.LeaseOwner);
        Assert.Equal(T0 + Lease + Lease, takenOver.LeaseUntil);
        Assert.False(await store.CompleteAsync(crashed, "crashed", T0 + Lease));
        Assert.True(await store.CompleteAsync(takenOver, "w2", T0 + Lease));
        Assert.Equal(new OutboxCounts(0, 1, 0), await store.CountAsync());
    }

    [Fact]
    public async Task FailAsync_WithNextAttempt_EntryIsDueAgainOnlyThen()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var entry = Assert.Single(await store.LeaseAsync("w1", 10, Lease, T0));

        Assert.True(await store.FailAsync(entry, "w1", T0.AddMinutes(5), "HttpRequestException: 503"));

        Assert.Empty(await store.LeaseAsync("w1", 10, Lease, T0.AddMinutes(4)));
        var retried = Assert.Single(await store.LeaseAsync("w1", 10, Lease, T0.AddMinutes(5)));
        Assert.Equal(2, retried.Attempts);
        Assert.Equal("HttpRequestException: 503", retried.LastError);
    }

    [Fact]
    public async Task FailAsync_WithoutNextAttempt_DeadLetters()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)).Put(Message(2)));
        var entries = await store.LeaseAsync("w1", 1, Lease, T0);

        Assert.False(await store.FailAsync(entries[0], "someone-else", null, "not mine"));
        Assert.True(await store.FailAsync(entries[0], "w1", null, "No handler"));

        Assert.Equal(new OutboxCounts(1, 0, 1), await store.CountAsync());
        Assert.Equal("No handler", Assert.Single(store.DeadLetters).LastError);
        Assert.Equal("key-1", store.DeadLetters[0].Message.IdempotencyKey);
    }

    [Fact]
    public async Task LeaseAsync_MessageCreatedLater_IsNotDueBeforeItsCreation()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1) with { CreatedAt = T0.AddMinutes(10) }));

        Assert.Empty(await store.LeaseAsync("w1", 10, Lease, T0));
        Assert.Single(await store.LeaseAsync("w1", 10, Lease, T0.AddMinutes(10)));
    }

    public static TheoryData<string> PermanentFailures => ["validation", "argument", "json", "not-found", "access-denied", "backpack-permanent", "null-reference"];

    [Theory]
    [MemberData(nameof(PermanentFailures))]
    public async Task DrainAsync_PermanentFailure_DeadLetteredOnFirstAttempt(string kind)
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var handler = new ThrowingHandler(_ => Failure(kind));
        var worker = new OutboxWorker(store, [handler], new FakeTimeProvider(T0), Options.Create(new OutboxOptions()));

        await worker.DrainAsync();

        Assert.Equal(1, handler.Calls);
        Assert.Equal(new OutboxCounts(0, 0, 1), await store.CountAsync());
        var dead = Assert.Single(await store.ListDeadLettersAsync(null, 10));
        Assert.Equal(1, dead.Attempts);
        Assert.Contains($"({Failure(kind).GetType().Name})", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainAsync_TransientFailure_RetriedWithBackoffThenDeadLetteredAfterMaxAttempts()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var clock = new FakeTimeProvider(T0);
        var handler = new ThrowingHandler(_ => new TimeoutException("Drive did not answer."));
        var options = new OutboxOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1), MaxAttempts = 3 };
        var worker = new OutboxWorker(store, [handler], clock, Options.Create(options));

        await worker.DrainAsync();
        Assert.Equal(new OutboxCounts(1, 0, 0), await store.CountAsync());
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await worker.DrainAsync());
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await worker.DrainAsync());
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(1, await worker.DrainAsync());

        Assert.Equal(3, handler.Calls);
        var dead = Assert.Single(store.DeadLetters);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("unavailable (TimeoutException) [gave up after 3 attempts]", dead.LastError);
    }

    [Fact]
    public async Task DrainAsync_Failures_LogIdsAndCodesButNeverMessages()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)).Put(Message(2)).Put(Message(3) with { Operation = "drive.unknown" }));
        const string personal = "Jane Doe <jane.doe@example.org> wrote: my reflection";
        var handler = new ThrowingHandler(e => e.Message.IdempotencyKey == "key-1"
            ? new InvalidOperationException(personal)
            : new BackpackValidationException("$.reasoning", "artifact.reasoning.length", "The reasoning is too long."));
        var capture = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var worker = new OutboxWorker(store, [handler], new FakeTimeProvider(T0), Options.Create(new OutboxOptions()), factory.CreateLogger<OutboxWorker>());

        await worker.DrainAsync();

        var lines = capture.Lines.ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.DoesNotContain("jane", l.Message, StringComparison.OrdinalIgnoreCase));
        Assert.All(lines, l => Assert.DoesNotContain("too long", l.Message, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Message.Contains("unclassified", StringComparison.Ordinal) && l.Message.Contains("InvalidOperationException", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogLevel.Error && l.Message.Contains("validation", StringComparison.Ordinal) && l.Message.Contains("BackpackValidationException", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogLevel.Error && l.Message.Contains("outbox.no-handler", StringComparison.Ordinal) && l.Message.Contains("drive.unknown", StringComparison.Ordinal));
        var retrying = await store.LeaseAsync("peek", 10, Lease, T0.AddDays(1));
        Assert.Equal("unclassified (InvalidOperationException)", Assert.Single(retrying).LastError);
        Assert.All(store.DeadLetters, d => Assert.DoesNotContain("jane", d.LastError, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(store.DeadLetters, d => d.LastError == "validation (BackpackValidationException): The input is not valid: $.reasoning: The reasoning is too long. [artifact.reasoning.length]");
        Assert.Contains(store.DeadLetters, d => d.LastError!.StartsWith("outbox.no-handler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequeueAsync_DeadLetterAfterFix_WorkerCompletesIt()
    {
        var store = new InMemoryBackpackStore();
        await store.SaveAsync(new ChangeSet().Put(Message(1)));
        var clock = new FakeTimeProvider(T0);
        var broken = true;
        var handler = new ThrowingHandler(_ => broken ? new ArgumentException("Unknown folder kind.") : null);
        var worker = new OutboxWorker(store, [handler], clock, Options.Create(new OutboxOptions()));
        await worker.DrainAsync();
        var dead = Assert.Single(await store.ListDeadLettersAsync(null, 10));

        broken = false;
        Assert.Equal(1, await store.RequeueAsync([dead.Id], clock.GetUtcNow()));
        await worker.DrainAsync();

        Assert.Equal(new OutboxCounts(0, 1, 0), await store.CountAsync());
        Assert.Empty(await store.ListDeadLettersAsync(null, 10));
        Assert.Equal(2, handler.Calls);
    }

    private static Exception Failure(string kind) => kind switch
    {
        "validation" => new BackpackValidationException("$.folder", "drive.folder.kind", "Unknown folder kind."),
        "argument" => new ArgumentOutOfRangeException(nameof(kind)),
        "json" => new System.Text.Json.JsonException("Unexpected token."),
        "not-found" => new BackpackNotFoundException("student", "s-1"),
        "access-denied" => new UnauthorizedAccessException("Denied."),
        "backpack-permanent" => new BackpackStoreException("The store refused the write.", isTransient: false, null),
        "null-reference" => NullReference(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A real defect of a handler: dereferencing a missing value.</summary>
    private static Exception NullReference()
    {
        try
        {
            string? missing = Environment.GetEnvironmentVariable("BACKPACK_TEST_UNSET_VARIABLE_1f0c");
            return new InvalidDataException(missing!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (NullReferenceException ex)
        {
            return ex;
        }
    }

    private sealed class ThrowingHandler(Func<OutboxEntry, Exception?> failure) : IOutboxHandler
    {
        private int calls;

        public string Operation => "drive.ensureFolder";

        public int Calls => Volatile.Read(ref calls);

        public Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return failure(entry) is { } ex ? throw ex : Task.CompletedTask;
        }
    }
}
