using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests;

/// <summary>
/// The access table in the README is the oracle: generated districts (options, calendar, date), actors,
/// relations and operations run through the real services, and every decision must equal the README's cell;
/// a denied call changes nothing and leaves exactly one denial audit record; an allowed read leaves exactly one
/// read audit record.
/// </summary>
public sealed class AccessTablePropertyTests
{
    private static readonly (ActorRole Role, BackpackOperation Operation, AccessRelation Relation)[] Cases =
        AccessTable.Roles.SelectMany(r => AccessTable.Operations.SelectMany(o => AccessTable.RelationsFor(r, o).Select(x => (r, o, x)))).ToArray();

    private static readonly BackpackOperation[] StudentWorkReads = [BackpackOperation.ReadBackpack, BackpackOperation.ReadShowcase, BackpackOperation.CheckReadiness];

    private static readonly string[] Zones = ["UTC", "America/Denver", "America/New_York", "Pacific/Honolulu", "Asia/Tokyo"];

    /// <summary>A generated district: its options and the moment the case runs.</summary>
    public sealed record District(string TimeZone, int StartMonth, int PanelAccessDays, DateTimeOffset Now);

    private static Gen<District> Districts =>
        from zone in Gen.Elements(Zones)
        from month in Gen.Choose(7, 9)
        from days in Gen.Choose(1, 30)
        from day in Gen.Choose(40, 300)
        from minute in Gen.Choose(0, (24 * 60) - 1)
        select new District(zone, month, days, new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddMinutes(minute));

    [Property(MaxTest = 1000)]
    public Property Policy_GeneratedDistrictsActorsAndOperations_DecideAsTheReadmeTable() =>
        Prop.ForAll(Districts.ToArbitrary(), Gen.Elements(Cases).ToArbitrary(), (district, c) => Check(district, c.Role, c.Operation, c.Relation).GetAwaiter().GetResult());

    [Fact]
    public async Task Policy_EveryCellOfTheTable_DecidesAsTheReadme()
    {
        var district = new District("America/Denver", 8, 7, new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
        var failures = new List<string>();
        foreach (var (role, operation, relation) in Cases)
        {
            try
            {
                await Check(district, role, operation, relation);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{role} {operation} {relation}: {e.Message}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(Enum.GetValues<ActorRole>().Length, Cases.Select(c => c.Role).Distinct().Count());
        Assert.Equal(Enum.GetValues<BackpackOperation>().Length, Cases.Select(c => c.Operation).Distinct().Count());
    }

    [Fact]
    public void AccessTable_EqualsTheReadmeTableCellByCell()
    {
        foreach (var (role, operation, relation) in Cases)
        {
            Assert.True(ReadmeAccessTable.Allows(role, operation, relation) == AccessTable.Allows(role, operation, relation), $"{role} {operation} {relation}");
        }

        foreach (var relation in Enum.GetValues<AccessRelation>())
        {
            foreach (var operation in AccessTable.Operations)
            {
                foreach (var role in AccessTable.Roles)
                {
                    Assert.True(ReadmeAccessTable.Allows(role, operation, relation) == AccessTable.Allows(role, operation, relation), $"{role} {operation} {relation}");
                }
            }
        }
    }

    [Fact]
    public async Task Policy_DistrictAdminsSeeStudentWork_OnlyTheFootnotedCellsOpen()
    {
        var district = new District("UTC", 8, 7, new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
        foreach (var operation in AccessTable.Operations)
        {
            await using var provider = Provider(district, seeWork: true);
            using var scope = provider.CreateScope();
            var witnesses = await AccessWitnessDistrict.CreateAsync(scope.ServiceProvider);
            var outcome = await witnesses.RunAsync(ActorRole.DistrictAdmin, operation, AccessRelation.District);
            Assert.Null(outcome.Error);
            Assert.Equal(ReadmeAccessTable.Allows(ActorRole.DistrictAdmin, operation, AccessRelation.District) || operation is BackpackOperation.ReadBackpack or BackpackOperation.ReadShowcase, outcome.Allowed);
        }
    }

    [Fact]
    public async Task EvaluateMatrixAsync_SampleDistrictOptions_EveryDecisionAsTheReadme()
    {
        // The sample's `access matrix` prints exactly these outcomes.
        var outcomes = await AccessWitnessDistrict.EvaluateMatrixAsync(o => { o.DistrictId = "demo-district"; o.TimeZone = "America/Denver"; }, new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));

        Assert.Equal(Cases.Length, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.Null(o.Error);
            Assert.True(ReadmeAccessTable.Allows(o.Role, o.Operation, o.Relation) == o.Allowed, $"{o.Role} {o.Operation} {o.Relation}");
        });
    }

    private static ServiceProvider Provider(District district, bool seeWork = false)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider(district.Now));
        services.AddBackpack(o =>
        {
            o.DistrictId = "witness";
            o.TimeZone = district.TimeZone;
            o.SchoolYearStartMonth = district.StartMonth;
            o.PanelAccessDays = district.PanelAccessDays;
            o.DistrictAdminsSeeStudentWork = seeWork;
        }).UseInMemoryStore();
        return services.BuildServiceProvider();
    }

    private static async Task<bool> Check(District district, ActorRole role, BackpackOperation operation, AccessRelation relation)
    {
        await using var provider = Provider(district);
        using var scope = provider.CreateScope();
        var witnesses = await AccessWitnessDistrict.CreateAsync(scope.ServiceProvider);
        var store = provider.GetRequiredService<InMemoryBackpackStore>();
        var before = await witnesses.SnapshotAsync();
        var auditBefore = store.Audit.Count;

        var outcome = await witnesses.RunAsync(role, operation, relation);

        var expected = ReadmeAccessTable.Allows(role, operation, relation);
        var context = $"{role} {operation} {relation} in {district}";
        Assert.True(outcome.Error is null, $"{context}: the witness's call failed: {outcome.Error}");
        Assert.True(expected == outcome.Allowed, $"{context}: the README says {(expected ? "allow" : "deny")}, the services {(outcome.Allowed ? "allowed" : "denied")}");
        var added = store.Audit.Skip(auditBefore).ToArray();
        if (!outcome.Allowed)
        {
            Assert.Equal(before, await witnesses.SnapshotAsync());
            var denial = Assert.Single(added);
            Assert.False(denial.Allowed, context);
        }
        else if (StudentWorkReads.Contains(operation) || operation == BackpackOperation.ReadReports)
        {
            var read = Assert.Single(added);
            Assert.True(read.Allowed, context);
            Assert.Equal(operation == BackpackOperation.ReadReports ? null : witnesses.StudentOf(role, relation), read.StudentId);
        }

        return true;
    }
}
