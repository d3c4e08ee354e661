using Backpack.Core.Access;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.CaseStandard.Tests;

/// <summary>CASE through core's framework service: authorized, audited, all or nothing.</summary>
public sealed class CaseServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly Actor _admin = Actor.ForDistrictAdmin(PersonId.New());
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private FrameworkService Frameworks => _scope.ServiceProvider.GetRequiredService<FrameworkService>();

    public Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock);
        services.AddBackpack(o => o.DistrictId = "test-district").UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task ImportCaseAsync_CyclicHierarchy_TypedErrorNamingPathAndNothingStored()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Case", "DistrictGraduateProfile.json"));
        var imported = await Frameworks.ImportCaseAsync(_admin, json);
        var frameworks = (await Store.ListFrameworksAsync()).Count;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var child = doc.RootElement.GetProperty("CFItems")[0].GetProperty("identifier").GetString()!;
        var grandChild = doc.RootElement.GetProperty("CFItems")[1].GetProperty("identifier").GetString()!;
        var cyclic = json.Replace("\"CFAssociations\": [", $$"""
            "CFAssociations": [
              { "identifier": "{{Guid.NewGuid()}}", "associationType": "isChildOf", "uri": "urn:x",
                "originNodeURI": { "title": "a", "identifier": "{{child}}", "uri": "urn:a" },
                "destinationNodeURI": { "title": "b", "identifier": "{{grandChild}}", "uri": "urn:b" },
                "lastChangeDateTime": "2025-01-01T00:00:00Z" },
              { "identifier": "{{Guid.NewGuid()}}", "associationType": "isChildOf", "uri": "urn:y",
                "originNodeURI": { "title": "b", "identifier": "{{grandChild}}", "uri": "urn:b" },
                "destinationNodeURI": { "title": "a", "identifier": "{{child}}", "uri": "urn:a" },
                "lastChangeDateTime": "2025-01-01T00:00:00Z" },
            """, StringComparison.Ordinal);
        var otherId = Guid.NewGuid().ToString();
        cyclic = cyclic.Replace(imported.Value.Id.ToString(), otherId, StringComparison.OrdinalIgnoreCase);

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Frameworks.ImportCaseAsync(_admin, cyclic));

        Assert.Contains(ex.Problems, p => p.Rule == "case.hierarchy.cycle" && p.Path.StartsWith("$.CFAssociations[", StringComparison.Ordinal));
        Assert.Equal(frameworks, (await Store.ListFrameworksAsync()).Count);
        Assert.Null(await Store.GetFrameworkAsync(FrameworkId.Parse(otherId)));
    }

    [Fact]
    public async Task ImportCaseAsync_Package_SavedAndAuditedAsFrameworkImport()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Case", "DistrictGraduateProfile.json"));

        var imported = await Frameworks.ImportCaseAsync(_admin, json);

        var saved = await Store.GetFrameworkAsync(imported.Value.Id);
        Assert.Equal(imported.Value.Framework, saved!.Draft);
        Assert.Contains(Store.Audit, a => a.Action == "framework.import" && a.ResourceId == imported.Value.Id.ToString() && a.Allowed);
    }

    [Fact]
    public async Task ExportCaseAsync_RosterSync_DeniedAndNothingWritten()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Case", "DistrictGraduateProfile.json"));
        var imported = await Frameworks.ImportCaseAsync(_admin, json);

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Frameworks.ExportCaseAsync(Actor.RosterSync, imported.Value.Id, []));
    }

    [Fact]
    public async Task ExportCaseAsync_ImportedPackage_ReimportsToTheSameFramework()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Case", "DistrictGraduateProfile.json"));
        var imported = await Frameworks.ImportCaseAsync(_admin, json);

        var exported = await Frameworks.ExportCaseAsync(_admin, imported.Value.Id, imported.Value.Rubrics.Select(r => r.Ref));

        var back = CaseJson.Import(exported).Value;
        Assert.Equal(imported.Value.Id, back.Id);
        Assert.Equal(imported.Value.Framework.Skills.Select(s => s.Id), back.Framework.Skills.Select(s => s.Id));
    }
}
