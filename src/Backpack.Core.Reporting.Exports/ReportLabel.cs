using System.Globalization;

namespace Backpack.Core.Reporting.Exports;

/// <summary>What an export prints for a school or skill: the name the report carries, or the id when it has none.</summary>
internal static class ReportLabel
{
    public static string Of<TId>(string name, TId id)
        where TId : notnull => string.IsNullOrEmpty(name) ? id.ToString()! : name;

    public static string Share(double? share) => share is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : string.Empty;
}
