using System.Collections.Concurrent;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
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
}
