using Backpack.Core.Google.Emulator;

namespace Backpack.Core.Google.Tests;

/// <summary>
/// Bounds on the Drive cost scenario, from the emulator's counters (no clock, nothing printed). The figures
/// themselves are printed by <c>dotnet run -c Release --project benchmarks/Backpack.Core.Benchmarks.Google -- drive</c>
/// and recorded in benchmarks/README-drive.md.
/// </summary>
public sealed class DriveCostTests : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Measure_QuotaUnitsAndHttpRequests_OneUnitPerSteadyArtifactAndOneGrantPerPanelMember(bool batch)
    {
        var costs = await DriveCostScenario.RunAsync(emulator, clock, batch);

        foreach (var (_, share) in costs.PanelShares)
        {
            Assert.Equal(4, share.Grants);
        }

        Assert.True(costs.Steady.Units <= costs.SteadyArtifacts * 1.05, $"{costs.Steady.Units} units for {costs.SteadyArtifacts} artifacts");
    }
}
