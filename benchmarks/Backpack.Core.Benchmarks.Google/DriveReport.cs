using System.Globalization;
using Backpack.Core.Google.Emulator;
using Backpack.Core.TestSupport;
using Backpack.Core.TestSupport.Drive;

namespace Backpack.Core.Benchmarks.Google;

/// <summary>The Drive cost table of README-drive.md (batching on and off) and the paced-quota figures.</summary>
internal static class DriveReport
{
    public static async Task<bool> RunAsync(TextWriter output)
    {
        var clock = new VirtualClock(DriveHarness.Start);
        await using var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var on = await DriveCostScenario.RunAsync(emulator, clock, batch: true);
        var off = await DriveCostScenario.RunAsync(emulator, clock, batch: false);

        output.WriteLine("District: 20 students, one roster with 2 teachers, each student with 1 guardian (emulator counters).");
        output.WriteLine();
        output.WriteLine("| operation | quota units | HTTP, batching on | HTTP, batching off | notes |");
        output.WriteLine("| --- | ---: | ---: | ---: | --- |");
        Row("onboarding 20 students + roster of 2 teachers", on.Onboard, off.Onboard, 20, "student", perHttp: true, "");
        Row("first artifact of a student in a skill (20 artifacts)", on.FirstInSkill, off.FirstInSkill, 20, "artifact", perHttp: false, "");
        Row($"new artifact, 1 skill, folder exists ({on.SteadyArtifacts} artifacts)", on.Steady, off.Steady, on.SteadyArtifacts, "artifact", perHttp: false,
            I($"{on.Steady.Creates} `files.create` (shortcuts) + {on.Steady.GenerateIds} `generateIds`"));
        Row("new artifact, 2 skills, second skill folder new (10 artifacts)", on.TwoSkills, off.TwoSkills, 10, "artifact", perHttp: false, "");
        for (var i = 0; i < on.PanelShares.Count; i++)
        {
            var (count, cost) = on.PanelShares[i];
            output.WriteLine(I($"| panel share at hold, {count} artifacts, 3 panelists + 1 guardian | {cost.Units} | {cost.Http} | {off.PanelShares[i].Cost.Http} | {cost.Grants} `permissions.create`, {cost.Copies} `files.copy` |"));
        }

        var (calls, rateLimited, waits) = await DriveCostScenario.RunPacedUnderQuotaAsync(emulator, clock);
        output.WriteLine();
        output.WriteLine(I($"Paced under emulated quotas (60/min per user, 90/min per project, virtual clock): {calls} method calls, {rateLimited} rate-limited, {waits} paced waits."));

        var ok = true;
        foreach (var c in new[] { on, off })
        {
            ok &= Check(output, c.Steady.Units <= c.SteadyArtifacts * 1.05, I($"steady state {c.Steady.Units} units for {c.SteadyArtifacts} artifacts (bound 1.05/artifact), batching {(c.Batch ? "on" : "off")}"));
            ok &= Check(output, c.PanelShares.All(s => s.Cost.Grants == 4), "panel share: one grant per person (4)");
        }

        ok &= Check(output, rateLimited * 100 < calls, "paced: under 1% rate limited");
        return ok;

        void Row(string operation, DriveCost a, DriveCost b, int n, string per, bool perHttp, string notes)
        {
            var units = a.Units == b.Units ? I($"{a.Units} ({a.Units / (double)n:F2}/{per})") : I($"{a.Units} (batching off: {b.Units})");
            var http = perHttp ? I($"{a.Http} ({a.Http / (double)n:F2}/{per})") : I($"{a.Http}");
            output.WriteLine($"| {operation} | {units} | {http} | {b.Http} | {notes} |");
        }
    }

    internal static bool Check(TextWriter output, bool holds, string what)
    {
        output.WriteLine((holds ? "ok:   " : "FAIL: ") + what);
        return holds;
    }

    internal static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
