using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace Backpack.Core.Reporting.Exports;

/// <summary>
/// Reports as PNG charts (ScottPlot), 1200 x 800 pixels by default, with a title, axis labels and a legend or color
/// bar: readiness by school (stacked bars), evidence coverage by school and skill (heatmap), growth by cohort (lines).
/// Text is drawn with the DejaVu Sans font shipped inside this assembly, so a chart looks the same on a server with no
/// fonts installed; withheld counts are left out of every figure.
/// </summary>
public static class ReportCharts
{
    /// <summary>The default width in pixels.</summary>
    public const int DefaultWidth = 1200;

    /// <summary>The default height in pixels.</summary>
    public const int DefaultHeight = 800;

    private const string FontName = "Backpack DejaVu Sans";

    private static readonly Lazy<bool> FontRegistered = new(() =>
    {
        Fonts.FontResolvers.Add(new EmbeddedFontResolver());
        return true;
    });

    /// <summary>
    /// Readiness by school: per school (over the grades whose counts are shown), students ready and not ready, as
    /// stacked bars, schools in report order.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] Readiness(ReadinessReport report, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(report);
        var schools = report.Rows
            .Where(r => r.Students is not null && r.Ready is not null)
            .GroupBy(r => r.SchoolId)
            .Select(g => (School: ReportLabel.Of(g.First().SchoolName, g.Key), Ready: g.Sum(r => r.Ready!.Value), NotReady: g.Sum(r => r.Students!.Value - r.Ready!.Value)))
            .ToArray();
        var plot = NewPlot($"Readiness by school, {report.Year}", "Students", "School");
        var ready = Colors.SeaGreen;
        var notReady = Colors.Orange;
        var bars = new List<Bar>();
        for (var i = 0; i < schools.Length; i++)
        {
            // Horizontal bars, the first school at the top: school names read across, however long.
            var y = schools.Length - 1 - i;
            bars.Add(new Bar { Position = y, ValueBase = 0, Value = schools[i].Ready, FillColor = ready, LineWidth = 0, Orientation = Orientation.Horizontal });
            bars.Add(new Bar { Position = y, ValueBase = schools[i].Ready, Value = schools[i].Ready + schools[i].NotReady, FillColor = notReady, LineWidth = 0, Orientation = Orientation.Horizontal });
        }

        plot.Add.Bars(bars);
        SchoolTicks(plot.Axes.Left, schools.Select(s => s.School).ToArray());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Ready in every skill", FillColor = ready });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Not ready", FillColor = notReady });
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(left: 0);
        return Png(plot, width, height);
    }

    /// <summary>
    /// Evidence coverage as a heatmap: one column per skill, one row per school, the color the share of the school's
    /// students (over the grades whose counts are shown) with evidence of the skill in the report's year.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] Coverage(CoverageReport report, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(report);
        var skills = report.Rows.SelectMany(r => r.Skills.Select(s => s.SkillId)).Distinct().ToArray();
        var skillNames = report.Rows.SelectMany(r => r.Skills).GroupBy(s => s.SkillId).ToDictionary(g => g.Key, g => ReportLabel.Of(g.First().SkillName, g.Key));
        var schoolNames = report.Rows.Where(r => r.SchoolId is not null).GroupBy(r => r.SchoolId!.Value).ToDictionary(g => g.Key, g => ReportLabel.Of(g.First().SchoolName, g.Key));
        var schools = report.Rows.Where(r => r.SchoolId is not null).Select(r => r.SchoolId!.Value).Distinct().ToArray();
        var values = new double[schools.Length, skills.Length];
        for (var i = 0; i < schools.Length; i++)
        {
            for (var j = 0; j < skills.Length; j++)
            {
                var shown = report.Rows
                    .Where(r => r.SchoolId == schools[i] && r.Students is not null)
                    .Select(r => (r.Students!.Value, Count: r.Skills.FirstOrDefault(s => s.SkillId == skills[j])?.WithEvidence))
                    .Where(x => x.Count is not null)
                    .ToArray();
                var students = shown.Sum(x => x.Value);
                values[i, j] = students == 0 ? double.NaN : (double)shown.Sum(x => x.Count!.Value) / students;
            }
        }

        var plot = NewPlot($"Evidence coverage by school and skill, {report.Year}", "Skill", "School");
        if (schools.Length > 0 && skills.Length > 0)
        {
            var heatmap = plot.Add.Heatmap(values);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.NaNCellColor = Colors.LightGray;
            var bar = plot.Add.ColorBar(heatmap);
            bar.Label = "Share of students with evidence this year";
            bar.LabelStyle.FontName = FontName;
            bar.Axis.TickLabelStyle.FontName = FontName;
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, skills.Length).Select(i => (double)i).ToArray(), skills.Select(s => TwoLines(skillNames[s])).ToArray());

            // Rows are drawn top down (row 0 at the top).
            SchoolTicks(plot.Axes.Left, schools.Select(s => schoolNames[s]).ToArray());
        }

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "No students shown", FillColor = Colors.LightGray });
        plot.ShowLegend(Alignment.LowerRight);
        return Png(plot, width, height);
    }

    /// <summary>Growth by cohort: one line per cohort, the share of its results meeting the bar, year after year.</summary>
    /// <param name="report">The report.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] Growth(GrowthReport report, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = NewPlot("Growth by cohort: results at or above the meets level", "Years since the cohort's first year", "Share meeting the bar (%)");
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var cohort in report.Cohorts)
        {
            var points = cohort.Points.Select((p, t) => (T: (double)t, p.Share)).Where(p => p.Share is not null).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.T).ToArray(), points.Select(p => p.Share!.Value * 100).ToArray());
            line.LegendText = $"Grade {cohort.StartGrade} in {cohort.StartYear}";
            line.Color = palette.GetColor(i++);
            line.LineWidth = 3;
            line.MarkerSize = 9;
        }

        plot.Axes.SetLimitsY(0, 100);
        plot.Axes.SetLimitsX(-0.25, Math.Max(1, report.Cohorts.Select(c => c.Points.Count).DefaultIfEmpty(1).Max() - 1) + 0.25);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Alignment.LowerRight);
        return Png(plot, width, height);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        _ = FontRegistered.Value;
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 24);
        plot.XLabel(x, size: 18);
        plot.YLabel(y, size: 18);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontName = FontName;
        plot.Legend.FontSize = 16;
        return plot;
    }

    /// <summary>School names on an axis, the first at the top; every n-th when more than 40 would not fit.</summary>
    private static void SchoolTicks(IAxis axis, string[] names)
    {
        var every = Math.Max(1, (int)Math.Ceiling(names.Length / 40.0));
        var positions = Enumerable.Range(0, names.Length).Where(i => i % every == 0).ToArray();
        axis.SetTicks(positions.Select(i => (double)(names.Length - 1 - i)).ToArray(), positions.Select(i => names[i]).ToArray());
        axis.TickLabelStyle.FontSize = names.Length > 20 ? 11 : 14;
    }

    /// <summary>A long name over two lines, split at the space nearest its middle.</summary>
    private static string TwoLines(string name)
    {
        if (name.Length < 18)
        {
            return name;
        }

        var middle = name.Length / 2;
        var split = Enumerable.Range(0, name.Length).Where(i => name[i] == ' ').OrderBy(i => Math.Abs(i - middle)).DefaultIfEmpty(-1).First();
        return split < 0 ? name : name[..split] + "\n" + name[(split + 1)..];
    }

    private static byte[] Png(Plot plot, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        plot.Font.Set(FontName);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Resolves the chart font to the DejaVu Sans shipped in this assembly.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        private static readonly Lazy<SKTypeface> Typeface = new(() =>
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Backpack.Core.Reporting.Exports.DejaVuSans.ttf")
                ?? throw new InvalidOperationException("The chart font is missing from the assembly.");
            using var data = SKData.Create(stream);
            return SKTypeface.FromData(data);
        });

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            string.Equals(fontName, FontName, StringComparison.Ordinal) ? Typeface.Value : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, FontName, StringComparison.Ordinal) ? Typeface.Value : null;
    }
}
