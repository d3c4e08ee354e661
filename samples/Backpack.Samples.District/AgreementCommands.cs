using System.Globalization;
using System.Text.Json;
using Backpack.Core.Evaluations;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>report agreement --csv FILE [--json]</c>: inter-rater agreement per criterion from a CSV with the header
/// <c>subject,rater,criterion,level</c> (level = ordinal position, 1 = lowest; blank = a missing rating).
/// </summary>
internal static class AgreementCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(FileInfo file, bool json)
    {
        var ratings = InterRaterAgreement.ReadCsv(file.Name, await File.ReadAllTextAsync(file.FullName));
        var results = InterRaterAgreement.Compute(ratings);
        if (json)
        {
            var rows = results.Select(r => new Dictionary<string, object?>
            {
                ["criterion"] = r.Criterion,
                ["subjects"] = r.Subjects,
                ["ratings"] = r.Ratings,
                ["exactAgreement"] = Round(r.ExactAgreement),
                ["adjacentAgreement"] = Round(r.AdjacentAgreement),
                ["fleissKappa"] = Round(r.FleissKappa),
                ["krippendorffAlphaOrdinal"] = Round(r.KrippendorffAlphaOrdinal),
            });
            Console.WriteLine(JsonSerializer.Serialize(rows, Json));
            return 0;
        }

        var table = new Table().Title($"Inter-rater agreement, {Markup.Escape(file.Name)}")
            .AddColumns("criterion", "subjects", "ratings", "exact", "adjacent", "Fleiss' kappa", "Krippendorff's alpha (ordinal)");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Criterion), r.Subjects.ToString(CultureInfo.InvariantCulture), r.Ratings.ToString(CultureInfo.InvariantCulture), Percent(r.ExactAgreement), Percent(r.AdjacentAgreement), Number(r.FleissKappa), Number(r.KrippendorffAlphaOrdinal));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static double? Round(double? x) => x is { } v ? Math.Round(v, 4) : null;

    private static string Percent(double? x) => x is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-";

    private static string Number(double? x) => x is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
