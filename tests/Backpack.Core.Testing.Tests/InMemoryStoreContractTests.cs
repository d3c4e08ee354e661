using System.Collections.Concurrent;
using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;

namespace Backpack.Core.Testing.Tests;

/// <summary>The store contract suite against <see cref="InMemoryBackpackStore"/>: one store per district, shared by every "connection".</summary>
public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new InMemoryTestDatabase());

    private sealed class InMemoryTestDatabase : TestDatabase
    {
        private readonly ConcurrentDictionary<string, InMemoryBackpackStore> _districts = new(StringComparer.Ordinal);

        public override int LatestVersion => 0;

        public override string NowLiteral => string.Empty;

        protected override IBackpackStore NewStore(string districtId) => _districts.GetOrAdd(districtId, _ => new InMemoryBackpackStore());

        public override Task MigrateToAsync(int version) => throw new InvalidOperationException("The in-memory store has no schema.");

        public override Task<int> GetSchemaVersionAsync() => Task.FromResult(0);

        public override Task ExecuteAsync(string sql) => throw new InvalidOperationException("The in-memory store runs no SQL.");

        public override Task<long> ScalarAsync(string sql) => throw new InvalidOperationException("The in-memory store runs no SQL.");

        public override Task<MaintainedState> ReadMaintainedAsync(IBackpackStore store, StudentId student) =>
            Task.FromResult(new MaintainedState(
                ((InMemoryBackpackStore)store).GetMaintainedCounts(student)
                    .Select(c => new MaintainedCount(c.Year.StartYear, c.Grade.Ordinal, c.SkillId.Value, c.Artifacts, c.Reasoned, c.Reflected, c.ReasonedReflected))
                    .ToArray(),
                null));
    }
}
