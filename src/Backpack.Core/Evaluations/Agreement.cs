using System.Globalization;

namespace Backpack.Core.Evaluations;

/// <summary>One rater's level for one subject and criterion.</summary>
/// <param name="Subject">The subject scored (an artifact or milestone id, or any label).</param>
/// <param name="Rater">The rater (an id or label).</param>
/// <param name="Criterion">The criterion (an id or label).</param>
/// <param name="Level">The level's ordinal position (1 = lowest), or <see langword="null"/> for a missing rating.</param>
public sealed record Rating(string Subject, string Rater, string Criterion, int? Level);

/// <summary>How well raters agree on one criterion.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Subjects">Subjects with at least one rating.</param>
/// <param name="Ratings">Ratings given (missing ones not counted).</param>
/// <param name="ExactAgreement">Among pairs of ratings of the same subject, the share giving the same level (0 to 1); <see langword="null"/> with no pair.</param>
/// <param name="AdjacentAgreement">Among those pairs, the share at most one level apart.</param>
/// <param name="FleissKappa">Fleiss' kappa (levels as nominal categories; subjects may have different numbers of raters).</param>
/// <param name="KrippendorffAlphaOrdinal">Krippendorff's alpha with the ordinal metric (missing ratings allowed).</param>
public sealed record CriterionAgreement(string Criterion, int Subjects, int Ratings, double? ExactAgreement, double? AdjacentAgreement, double? FleissKappa, double? KrippendorffAlphaOrdinal)
{
    /// <summary>The criterion's name, as the rubric version names it (empty when computed outside a report).</summary>
    public string CriterionName { get; init; } = string.Empty;
}

/// <summary>Krippendorff's difference functions.</summary>
public enum AlphaMetric
{
    /// <summary>Values are categories: any two different values differ equally.</summary>
    Nominal,

    /// <summary>Values are ranks: the difference grows with how many values lie between them.</summary>
    Ordinal,

    /// <summary>Values are numbers on an interval scale: the squared difference.</summary>
    Interval,
}

/// <summary>
/// Inter-rater agreement: exact and adjacent agreement, Fleiss' kappa (Fleiss 1971, generalized to subjects with
/// different numbers of raters) and Krippendorff's alpha (Krippendorff, "Computing Krippendorff's Alpha-Reliability").
/// Only subjects with two or more ratings inform the statistics. When raters never disagree the statistics are 1,
/// including when every rating has the same level (where the formulas would divide by zero).
/// </summary>
public static class InterRaterAgreement
{
    /// <summary>Agreement per criterion, in criterion order (ordinal, as given).</summary>
    /// <param name="ratings">The ratings; one per rater, subject and criterion (a later duplicate replaces an earlier one).</param>
    /// <returns>One result per criterion.</returns>
    public static IReadOnlyList<CriterionAgreement> Compute(IEnumerable<Rating> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var latest = new Dictionary<(string Criterion, string Subject, string Rater), int?>();
        var order = new List<string>();
        foreach (var r in ratings)
        {
            if (!order.Contains(r.Criterion))
            {
                order.Add(r.Criterion);
            }

            latest[(r.Criterion, r.Subject, r.Rater)] = r.Level;
        }

        return order.Select(criterion =>
        {
            var units = latest.Where(kv => kv.Key.Criterion == criterion && kv.Value is not null)
                .GroupBy(kv => kv.Key.Subject, StringComparer.Ordinal)
                .Select(g => (IReadOnlyList<int>)g.Select(kv => kv.Value!.Value).ToArray())
                .ToArray();
            var (exact, adjacent) = PairAgreement(units);
            return new CriterionAgreement(criterion, units.Length, units.Sum(u => u.Count), exact, adjacent, FleissKappa(units), KrippendorffAlpha(units, AlphaMetric.Ordinal));
        }).ToArray();
    }

    /// <summary>Fleiss' kappa over units (subjects), each with the levels its raters gave.</summary>
    /// <param name="units">Per subject, the levels given.</param>
    /// <returns>Kappa, or <see langword="null"/> when no subject has two ratings.</returns>
    public static double? FleissKappa(IReadOnlyList<IReadOnlyList<int>> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var pairable = units.Where(u => u.Count >= 2).ToArray();
        if (pairable.Length == 0)
        {
            return null;
        }

        var totals = new Dictionary<int, double>();
        var observed = 0.0;
        foreach (var unit in pairable)
        {
            double n = unit.Count;
            observed += unit.GroupBy(v => v).Sum(g => (double)g.Count() * (g.Count() - 1)) / (n * (n - 1));
            foreach (var v in unit)
            {
                totals[v] = totals.GetValueOrDefault(v) + 1;
            }
        }

        var all = totals.Values.Sum();
        var pBar = observed / pairable.Length;
        var pE = totals.Values.Sum(t => (t / all) * (t / all));
        return pBar >= 1 ? 1 : (pBar - pE) / (1 - pE);
    }

    /// <summary>Krippendorff's alpha over units, each with the values its raters gave (missing values left out).</summary>
    /// <param name="units">Per unit, the values given.</param>
    /// <param name="metric">The difference function.</param>
    /// <returns>Alpha, or <see langword="null"/> when no unit has two values.</returns>
    public static double? KrippendorffAlpha(IReadOnlyList<IReadOnlyList<int>> units, AlphaMetric metric)
    {
        ArgumentNullException.ThrowIfNull(units);
        var pairable = units.Where(u => u.Count >= 2).ToArray();
        if (pairable.Length == 0)
        {
            return null;
        }

        var values = pairable.SelectMany(u => u).Distinct().Order().ToArray();
        var index = values.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        var o = new double[values.Length, values.Length];
        foreach (var unit in pairable)
        {
            var m = unit.Count;
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < m; j++)
                {
                    if (i != j)
                    {
                        o[index[unit[i]], index[unit[j]]] += 1.0 / (m - 1);
                    }
                }
            }
        }

        var nc = new double[values.Length];
        for (var c = 0; c < values.Length; c++)
        {
            for (var k = 0; k < values.Length; k++)
            {
                nc[c] += o[c, k];
            }
        }

        var n = nc.Sum();
        double observed = 0, expected = 0;
        for (var c = 0; c < values.Length; c++)
        {
            for (var k = 0; k < values.Length; k++)
            {
                var d = Difference(metric, values, nc, c, k);
                observed += o[c, k] * d;
                expected += nc[c] * nc[k] * d;
            }
        }

        return observed == 0 ? 1 : 1 - ((n - 1) * observed / expected);
    }

    /// <summary>
    /// Reads ratings from CSV with the header <c>subject,rater,criterion,level</c>; the level is the ordinal
    /// position (1 = lowest), and a blank level is a missing rating. Every problem is reported at once as
    /// <c>file:line:column</c>.
    /// </summary>
    /// <param name="fileName">The file name for problem paths.</param>
    /// <param name="text">The CSV text.</param>
    /// <returns>The ratings.</returns>
    /// <exception cref="BackpackValidationException">The CSV breaks a rule.</exception>
    public static IReadOnlyList<Rating> ReadCsv(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<ValidationProblem>();
        var records = CsvRecords.Read(fileName, text, problems);
        var ratings = new List<Rating>();
        string[] columns = ["subject", "rater", "criterion", "level"];
        string Where(int line, int column) => string.Create(CultureInfo.InvariantCulture, $"{fileName}:{line}:{column + 1}");
        var header = records.Count == 0 ? [] : records[0].Fields.Select(h => h.Trim().TrimStart('\uFEFF').Trim()).ToArray();
        if (records.Count == 0)
        {
            problems.Add(new($"{fileName}:1", "csv.header.required", $"{fileName} is empty: it needs a header line."));
        }
        else if (!header.Select(h => h.ToLowerInvariant()).SequenceEqual(columns))
        {
            problems.Add(new($"{fileName}:1", "agreement.csv.header", $"The header must be '{string.Join(',', columns)}', not '{string.Join(',', header)}'."));
        }
        else
        {
            foreach (var row in records.Skip(1))
            {
                if (row.Fields.Count != columns.Length)
                {
                    problems.Add(new(Where(row.Line, Math.Min(row.Fields.Count, columns.Length)), "csv.row.field-count", string.Create(CultureInfo.InvariantCulture, $"The record has {row.Fields.Count} fields but the header of {fileName} has {columns.Length}.")));
                    continue;
                }

                string Get(int column) => row.Fields[column].Trim();
                for (var c = 0; c < 3; c++)
                {
                    if (Get(c).Length == 0)
                    {
                        problems.Add(new(Where(row.Line, c), "agreement.csv.required", $"The {columns[c]} is empty."));
                    }
                }

                var level = Get(3);
                int? parsed = null;
                if (level.Length > 0)
                {
                    if (int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l >= 1)
                    {
                        parsed = l;
                    }
                    else
                    {
                        problems.Add(new(Where(row.Line, 3), "agreement.csv.level", $"The level '{level}' is not a position from 1 (the lowest level), nor blank for a missing rating."));
                    }
                }

                ratings.Add(new Rating(Get(0), Get(1), Get(2), parsed));
            }
        }

        return problems.Count > 0 ? throw new BackpackValidationException(problems) : ratings;
    }

    private static double Difference(AlphaMetric metric, int[] values, double[] nc, int c, int k)
    {
        switch (metric)
        {
            case AlphaMetric.Nominal:
                return c == k ? 0 : 1;
            case AlphaMetric.Interval:
                double d = values[c] - values[k];
                return d * d;
            default:
                var (lo, hi) = c <= k ? (c, k) : (k, c);
                var sum = 0.0;
                for (var g = lo; g <= hi; g++)
                {
                    sum += nc[g];
                }

                var x = sum - ((nc[lo] + nc[hi]) / 2);
                return x * x;
        }
    }

    private static (double? Exact, double? Adjacent) PairAgreement(IReadOnlyList<IReadOnlyList<int>> units)
    {
        long pairs = 0, exact = 0, adjacent = 0;
        foreach (var unit in units)
        {
            for (var i = 0; i < unit.Count; i++)
            {
                for (var j = i + 1; j < unit.Count; j++)
                {
                    pairs++;
                    var d = Math.Abs(unit[i] - unit[j]);
                    exact += d == 0 ? 1 : 0;
                    adjacent += d <= 1 ? 1 : 0;
                }
            }
        }

        return pairs == 0 ? (null, null) : ((double)exact / pairs, (double)adjacent / pairs);
    }
}
