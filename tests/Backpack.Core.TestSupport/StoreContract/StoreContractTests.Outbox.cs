using System.Collections.Concurrent;
using Backpack.Core.Sync;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>The outbox: dedupe by idempotency key, leases shared by concurrent workers, retries and dead letters.</summary>
public abstract partial class StoreContractTests
{
    private static OutboxMessage Message(int i) => new("drive.ensureFolder", $"folder:{i}", $"{{\"n\":{i}}}", TestData.T0);

    [StoreFact]
    public async Task SaveAsync_DuplicateIdempotencyKey_EnqueuesOnce()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(1), Message(2)));
        await store.SaveAsync(TestData.Set(Message(1) with { Payload = "{\"other\":true}" }));

        Assert.Equal(new OutboxCounts(2, 0, 0), await store.Outbox().CountAsync());
        var leased = await store.Outbox().LeaseAsync("w", 10, TimeSpan.FromMinutes(1), TestData.T0);
        Assert.Equal(Message(1), leased.Single(e => e.Message.IdempotencyKey == "folder:1").Message);
    }

    [StoreFact]
    public async Task LeaseAsync_DueEntries_LeasedWithAttemptCountedAndHiddenFromOthers()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(2), Message(3) with { CreatedAt = TestData.T0.AddHours(1) }));
        var outbox = store.Outbox();

        var first = await outbox.LeaseAsync("w1", 10, TimeSpan.FromMinutes(2), TestData.T0);
        var second = await outbox.LeaseAsync("w2", 10, TimeSpan.FromMinutes(2), TestData.T0);

        Assert.Equal(2, first.Count);
        Assert.All(first, e => Assert.Equal(1, e.Attempts));
        Assert.All(first, e => Assert.Equal("w1", e.LeaseOwner));
        Assert.All(first, e => Assert.Equal(TestData.T0.AddMinutes(2), e.LeaseUntil));
        Assert.Empty(second);
        Assert.Equal(new OutboxCounts(3, 0, 0), await outbox.CountAsync());
    }

    [StoreFact]
    public async Task LeaseAsync_ThreeConcurrentWorkers_EveryEntryHandledExactlyOnce()
    {
        var store = Store();
        const int total = 60;
        await store.SaveAsync(TestData.Set(Enumerable.Range(0, total).Select(i => (object)Message(i)).ToArray()));
        var handled = new ConcurrentBag<string>();
        var outbox = store.Outbox();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var worker = $"worker-{w}";
            while (true)
            {
                var batch = await outbox.LeaseAsync(worker, 4, TimeSpan.FromMinutes(5), TestData.T0);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var e in batch)
                {
                    handled.Add(e.Message.IdempotencyKey);
                    Assert.True(await outbox.CompleteAsync(e, worker, TestData.T0));
                }
            }
        })));

        Assert.Equal(total, handled.Count);
        Assert.Equal(total, handled.Distinct().Count());
        Assert.Equal(new OutboxCounts(0, total, 0), await outbox.CountAsync());
    }

    [StoreFact]
    public async Task LeaseAsync_ExpiredLease_TakenOverAndOldOwnerLosesCompletion()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1)));
        var outbox = store.Outbox();
        var lease = TimeSpan.FromMinutes(1);

        var a = Assert.Single(await outbox.LeaseAsync("crashed", 1, lease, TestData.T0));
        Assert.Empty(await outbox.LeaseAsync("rescuer", 1, lease, TestData.T0.AddSeconds(59)));
        var b = Assert.Single(await outbox.LeaseAsync("rescuer", 1, lease, TestData.T0.AddMinutes(1)));

        Assert.Equal(a.Id, b.Id);
        Assert.Equal(2, b.Attempts);
        Assert.False(await outbox.CompleteAsync(a, "crashed", TestData.T0.AddMinutes(2)));
        Assert.False(await outbox.FailAsync(a, "crashed", TestData.T0.AddMinutes(3), "late", default));
        Assert.True(await outbox.CompleteAsync(b, "rescuer", TestData.T0.AddMinutes(2)));
        Assert.Equal(new OutboxCounts(0, 1, 0), await outbox.CountAsync());
        Assert.Empty(await outbox.LeaseAsync("anyone", 1, lease, TestData.T0.AddHours(1)));
    }

    [StoreFact]
    public async Task FailAsync_RetryThenDeadLetter_FollowsTheSchedule()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1)));
        var outbox = store.Outbox();
        var lease = TimeSpan.FromMinutes(1);

        var e1 = Assert.Single(await outbox.LeaseAsync("w", 1, lease, TestData.T0));
        Assert.True(await outbox.FailAsync(e1, "w", TestData.T0.AddMinutes(10), "RateLimited: 429", default));
        Assert.Empty(await outbox.LeaseAsync("w", 1, lease, TestData.T0.AddMinutes(9)));
        var e2 = Assert.Single(await outbox.LeaseAsync("w", 1, lease, TestData.T0.AddMinutes(10)));
        Assert.Equal(2, e2.Attempts);
        Assert.Equal("RateLimited: 429", e2.LastError);
        Assert.Equal(TestData.T0.AddMinutes(10), e2.NextAttemptAt);

        Assert.True(await outbox.FailAsync(e2, "w", null, "Forbidden", default));

        Assert.Equal(new OutboxCounts(0, 0, 1), await outbox.CountAsync());
        Assert.Empty(await outbox.LeaseAsync("w", 1, lease, TestData.T0.AddDays(1)));
    }

    [StoreFact]
    public async Task OutboxWorker_DrainAsync_CompletesEveryEntryAndRetriesFailures()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(2), Message(3)));
        var clock = new FakeTimeProvider(TestData.T0);
        var handler = new FlakyHandler();
        var worker = new OutboxWorker(store.Outbox(), [handler], clock, Options.Create(new OutboxOptions()));

        await worker.DrainAsync();
        Assert.Equal(new OutboxCounts(1, 2, 0), await store.Outbox().CountAsync());
        clock.Advance(TimeSpan.FromMinutes(1));
        await worker.DrainAsync();

        Assert.Equal(new OutboxCounts(0, 3, 0), await store.Outbox().CountAsync());
        Assert.Equal(4, handler.Calls);
    }

    [StoreFact]
    public async Task ListDeadLettersAsync_Paged_ReturnsDeadLettersInIdOrderWithReasonAndAttempts()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(2), Message(3), Message(4)));
        var outbox = store.Outbox();
        var lease = TimeSpan.FromMinutes(1);
        var first = await outbox.LeaseAsync("w", 4, lease, TestData.T0);
        Assert.True(await outbox.FailAsync(first[0], "w", TestData.T0.AddMinutes(1), "unavailable (TimeoutException)", default));
        foreach (var e in first.Skip(1).Take(2))
        {
            Assert.True(await outbox.FailAsync(e, "w", null, $"validation (BackpackValidationException): {e.Message.IdempotencyKey}", default));
        }

        Assert.True(await outbox.CompleteAsync(first[3], "w", TestData.T0));
        var retried = Assert.Single(await outbox.LeaseAsync("w", 4, lease, TestData.T0.AddMinutes(1)));
        Assert.True(await outbox.FailAsync(retried, "w", null, "store (BackpackStoreException): gave up", default));

        var page1 = await outbox.ListDeadLettersAsync(null, 2);
        var page2 = await outbox.ListDeadLettersAsync(page1[^1].Id, 2);

        var all = page1.Concat(page2).ToList();
        Assert.Equal(2, page1.Count);
        Assert.Single(page2);
        Assert.Empty(await outbox.ListDeadLettersAsync(page2[^1].Id, 2));
        Assert.Equal(all.Select(e => e.Id).Order(), all.Select(e => e.Id));
        Assert.Equal(new[] { "folder:1", "folder:2", "folder:3" }, all.Select(e => e.Message.IdempotencyKey).Order(StringComparer.Ordinal));
        var twice = all.Single(e => e.Id == retried.Id);
        Assert.Equal(2, twice.Attempts);
        Assert.Equal("store (BackpackStoreException): gave up", twice.LastError);
        Assert.All(all.Where(e => e.Id != retried.Id), e => Assert.Equal(1, e.Attempts));
        Assert.All(all.Where(e => e.Id != retried.Id), e => Assert.Equal($"validation (BackpackValidationException): {e.Message.IdempotencyKey}", e.LastError));
        Assert.All(all, e => Assert.Null(e.LeaseOwner));
        Assert.Equal(new OutboxCounts(0, 1, 3), await outbox.CountAsync());
    }

    [StoreFact]
    public async Task RequeueAsync_DeadLetters_PendingAgainWithAttemptsResetOthersIgnored()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(2), Message(3)));
        var outbox = store.Outbox();
        var lease = TimeSpan.FromMinutes(1);
        var leased = await outbox.LeaseAsync("w", 2, lease, TestData.T0);
        Assert.True(await outbox.FailAsync(leased[0], "w", null, "invalid-argument (ArgumentException)", default));
        Assert.True(await outbox.FailAsync(leased[1], "w", null, "invalid-argument (ArgumentException)", default));
        var pending = Assert.Single(await outbox.LeaseAsync("other", 1, TimeSpan.FromDays(1), TestData.T0));
        var later = TestData.T0.AddHours(2);

        var requeued = await outbox.RequeueAsync([leased[0].Id, leased[1].Id, leased[1].Id, pending.Id, 987_654], later);

        Assert.Equal(2, requeued);
        Assert.Equal(new OutboxCounts(3, 0, 0), await outbox.CountAsync());
        Assert.Empty(await outbox.ListDeadLettersAsync(null, 10));
        Assert.Empty(await outbox.LeaseAsync("w", 10, lease, later.AddSeconds(-1)));
        var again = await outbox.LeaseAsync("w", 10, lease, later);
        Assert.Equal(new[] { leased[0].Id, leased[1].Id }, again.Select(e => e.Id).Order());
        Assert.All(again, e => Assert.Equal(1, e.Attempts));
        Assert.All(again, e => Assert.Equal(later, e.NextAttemptAt));
        Assert.Equal(0, await outbox.RequeueAsync([leased[0].Id], later));
        Assert.Equal(0, await outbox.RequeueAsync([], later));
        Assert.True(await outbox.CompleteAsync(again[0], "w", later));
        Assert.True(await outbox.CompleteAsync(pending, "other", later));
        Assert.Equal(new OutboxCounts(1, 2, 0), await outbox.CountAsync());
    }

    [StoreFact]
    public async Task OutboxWorker_PermanentFailure_DeadLetteredOnFirstAttemptAndRequeueable()
    {
        var store = Store();
        await store.SaveAsync(TestData.Set(Message(1), Message(2)));
        var clock = new FakeTimeProvider(TestData.T0);
        var handler = new RejectingHandler();
        var worker = new OutboxWorker(store.Outbox(), [handler], clock, Options.Create(new OutboxOptions()));

        await worker.DrainAsync();

        Assert.Equal(new OutboxCounts(0, 1, 1), await store.Outbox().CountAsync());
        var dead = Assert.Single(await store.Outbox().ListDeadLettersAsync(null, 10));
        Assert.Equal(1, dead.Attempts);
        Assert.StartsWith("validation (BackpackValidationException): ", dead.LastError, StringComparison.Ordinal);

        handler.Fixed = true;
        Assert.Equal(1, await store.Outbox().RequeueAsync([dead.Id], clock.GetUtcNow()));
        await worker.DrainAsync();
        Assert.Equal(new OutboxCounts(0, 2, 0), await store.Outbox().CountAsync());
    }

    private sealed class RejectingHandler : IOutboxHandler
    {
        public bool Fixed { get; set; }

        public string Operation => "drive.ensureFolder";

        public Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken) =>
            !Fixed && entry.Message.IdempotencyKey == "folder:2"
                ? throw new BackpackValidationException("$.n", "outbox.payload.n", "The folder number is not known.")
                : Task.CompletedTask;
    }

    private sealed class FlakyHandler : IOutboxHandler
    {
        private int _calls;

        public string Operation => "drive.ensureFolder";

        public int Calls => _calls;

        public Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return entry.Message.IdempotencyKey == "folder:2" && entry.Attempts == 1
                ? throw new InvalidOperationException("transient failure")
                : Task.CompletedTask;
        }
    }
}
