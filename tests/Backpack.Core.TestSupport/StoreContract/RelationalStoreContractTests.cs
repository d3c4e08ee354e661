using Backpack.Core.Serialization;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>
/// The store contract plus what only the SQL stores have, schema migrations: from empty, from every earlier version,
/// and refusal of a newer schema. The SQLite and PostgreSQL test projects derive from it; the in-memory store,
/// which has no schema, derives from <see cref="StoreContractTests"/>.
/// </summary>
public abstract class RelationalStoreContractTests : StoreContractTests
{
    [StoreFact]
    public async Task FirstUse_EmptyDatabase_MigratesToLatestAndRecordsEveryVersion()
    {
        Assert.Equal(0, await Database.GetSchemaVersionAsync());
        var store = Store();

        Assert.Empty(await store.ListSchoolsAsync());

        Assert.Equal(Database.LatestVersion, await Database.GetSchemaVersionAsync());
        Assert.Equal(Database.LatestVersion, await Database.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
        Assert.True(Database.LatestVersion >= 2);
    }

    public static TheoryData<int> EarlierVersions => new() { 1, 2, 3, 4 };

    [StoreFact]
    public async Task FirstUse_DatabaseAtVersion3WithAlignments_CopiesArtifactEvidenceOntoAlignments()
    {
        await Database.MigrateToAsync(3);
        var artifact = Guid.NewGuid();
        var student = Guid.NewGuid();
        await Database.ExecuteAsync(
            "INSERT INTO artifacts (district_id, id, version, student_id, year, grade, school_id, state, reflection_count, created_at, doc) "
            + $"VALUES ('contract', '{artifact}', 1, '{student}', 2024, 7, '{Guid.NewGuid()}', 2, 3, '2024-09-01T00:00:00Z', '{{}}')");
        await Database.ExecuteAsync(
            "INSERT INTO artifact_alignments (district_id, artifact_id, skill_id, student_id, has_reasoning) "
            + $"VALUES ('contract', '{artifact}', '{Guid.NewGuid()}', '{student}', true)");

        await Database.MigrateToAsync(Database.LatestVersion);

        Assert.Equal(1, await Database.ScalarAsync("SELECT COUNT(*) FROM artifact_alignments WHERE year = 2024 AND grade = 7 AND state = 2 AND reflection_count = 3"));
    }

    [StoreFact]
    public async Task FirstUse_DatabaseAtVersion4WithAlignments_CountsEvidenceAndBuildsStudentYears()
    {
        await Database.MigrateToAsync(4);
        var school = Guid.NewGuid();
        var student = Guid.NewGuid();
        var skill = Guid.NewGuid();
        await Database.ExecuteAsync(
            "INSERT INTO enrollments (district_id, student_id, seq, year, grade, school_id, entry_day) "
            + $"VALUES ('contract', '{student}', 0, 2025, 7, '{school}', 739000)");
        foreach (var (state, reasoning, reflections) in new[] { (1, true, 1), (2, true, 0), (0, true, 1), (3, true, 1), (1, false, 2) })
        {
            await Database.ExecuteAsync(
                "INSERT INTO artifact_alignments (district_id, artifact_id, skill_id, student_id, has_reasoning, year, grade, state, reflection_count) "
                + $"VALUES ('contract', '{Guid.NewGuid()}', '{skill}', '{student}', {(reasoning ? "true" : "false")}, 2025, 7, {state}, {reflections})");
        }

        var store = Store();
        Assert.Empty(await store.ListSchoolsAsync());

        // Collected and showcased only: three artifacts, two with reasoning, two reflected, one with both.
        Assert.Equal(1, await Database.ScalarAsync($"SELECT COUNT(*) FROM evidence_counts WHERE student_id = '{student}' AND year = 2025 AND grade = 7 AND artifacts = 3 AND reasoned = 2 AND reflected = 2 AND reasoned_reflected = 1"));
        Assert.Equal(1, await Database.ScalarAsync($"SELECT COUNT(*) FROM student_years WHERE student_id = '{student}' AND year = 2025 AND grade = 7 AND met_mask > 0 AND year_mask > 0"));
    }

    [StoreTheory]
    [MemberData(nameof(EarlierVersions))]
    public async Task FirstUse_DatabaseAtEarlierVersion_MigratesAndKeepsData(int version)
    {
        Assert.True(version < Database.LatestVersion);
        await Database.MigrateToAsync(version);
        Assert.Equal(version, await Database.GetSchemaVersionAsync());
        var school = TestData.School("Legacy") with { Version = 1 };
        await Database.ExecuteAsync($"INSERT INTO schools (district_id, id, version, doc) VALUES ('contract', '{school.Id}', 1, '{BackpackJson.Serialize(school)}')");

        var store = Store();

        Assert.Equal(school, Assert.Single(await store.ListSchoolsAsync()));
        Assert.Equal(Database.LatestVersion, await Database.GetSchemaVersionAsync());
        await store.SaveAsync(TestData.Set(school, new Sync.OutboxMessage("op", "k", "{}", TestData.T0)));
        Assert.Equal(2, Assert.Single(await store.ListSchoolsAsync()).Version);
    }

    [StoreFact]
    public async Task FirstUse_ThreeStoresAtOnce_MigrateExactlyOnce()
    {
        var stores = Enumerable.Range(0, 3).Select(i => Store($"district-{i}")).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.ListSchoolsAsync())));

        Assert.Equal(Database.LatestVersion, await Database.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
    }

    [StoreFact]
    public async Task MigrateToAsync_CalledTwice_AppliesNothingTheSecondTime()
    {
        await Database.MigrateToAsync(Database.LatestVersion);
        await Database.MigrateToAsync(Database.LatestVersion);
        Assert.Equal(Database.LatestVersion, await Database.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
    }

    [StoreFact]
    public async Task FirstUse_DatabaseAtNewerVersion_ThrowsAndTouchesNothing()
    {
        await Database.MigrateToAsync(Database.LatestVersion);
        var newer = Database.LatestVersion + 1;
        await Database.ExecuteAsync($"INSERT INTO schema_version (version, description, applied_at) VALUES ({newer}, 'from the future', {Database.NowLiteral})");
        var store = Store();

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.ListSchoolsAsync());
        var again = await Assert.ThrowsAsync<BackpackStoreException>(() => store.SaveAsync(TestData.Set(TestData.School())));

        Assert.False(ex.IsTransient);
        Assert.Contains($"schema version {newer}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(again.IsTransient);
        Assert.Equal(newer, await Database.GetSchemaVersionAsync());
        Assert.Equal(0, await Database.ScalarAsync("SELECT COUNT(*) FROM schools"));
    }
}
