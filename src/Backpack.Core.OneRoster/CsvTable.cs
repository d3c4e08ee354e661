using System.Globalization;
using CsvHelper;

namespace Backpack.Core.OneRoster;

/// <summary>One CSV record: the physical line it starts on and its fields.</summary>
internal sealed record CsvRow(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A OneRoster CSV file read through CsvHelper (RFC 4180): a header mapped by name (case-insensitive; order free;
/// extra columns kept but unused) and its records. Problems are reported as <c>file.csv:line:column</c> with
/// 1-based line and column.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string fileName, IReadOnlyList<string> header, Dictionary<string, int> columns, IReadOnlyList<CsvRow> rows)
    {
        FileName = fileName;
        Header = header;
        _columns = columns;
        Rows = rows;
    }

    /// <summary>The file name used in problem paths, e.g. <c>users.csv</c>.</summary>
    public string FileName { get; }

    /// <summary>The header names, as written (BOM and surrounding spaces removed).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data records (the header excluded), in file order.</summary>
    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Whether the header has <paramref name="column"/>.</summary>
    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The trimmed value of <paramref name="column"/> in <paramref name="row"/>, or empty when the column is absent.</summary>
    public string Get(CsvRow row, string column) =>
        _columns.TryGetValue(column, out var i) && i < row.Fields.Count ? row.Fields[i].Trim() : string.Empty;

    /// <summary>The problem path of a cell: <c>file.csv:line:column</c>, or <c>file.csv:line</c> when the column is absent.</summary>
    public string PathOf(int line, string column) =>
        _columns.TryGetValue(column, out var i) ? At(FileName, line, i) : string.Create(CultureInfo.InvariantCulture, $"{FileName}:{line}");

    /// <summary>
    /// Reads RFC 4180 text with CsvHelper: quoted fields may hold commas, doubled quotes and line breaks; records
    /// end with CRLF or LF; a leading UTF-8 BOM is ignored; blank lines are skipped. Malformed quoting (a quote
    /// inside an unquoted field, text after a closing quote, a quote never closed) is reported at its field and the
    /// record is kept as CsvHelper recovers it; a record with more or fewer fields than the header is reported and
    /// cut or padded to the header.
    /// </summary>
    /// <param name="fileName">The file name for problem paths.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="problems">Receives every syntax problem.</param>
    /// <returns>The table, or <see langword="null"/> when the file is empty.</returns>
    public static CsvTable? Parse(string fileName, string text, ICollection<ValidationProblem> problems)
    {
        var records = ReadRecords(fileName, text, problems);
        if (records.Count == 0)
        {
            problems.Add(new($"{fileName}:1", "csv.header.required", $"{fileName} is empty: it needs a header line."));
            return null;
        }

        var header = records[0].Fields.Select(h => h.Trim().TrimStart('\uFEFF').Trim()).ToArray();
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length > 0 && !columns.TryAdd(header[i], i))
            {
                problems.Add(new(At(fileName, records[0].Line, i), "csv.header.duplicate", $"The column '{header[i]}' appears twice in the header of {fileName}."));
            }
        }

        var rows = new List<CsvRow>(records.Count - 1);
        foreach (var r in records.Skip(1))
        {
            if (r.Fields.Count == header.Length)
            {
                rows.Add(r);
                continue;
            }

            problems.Add(new(
                At(fileName, r.Line, Math.Min(r.Fields.Count, header.Length)),
                "csv.row.field-count",
                string.Create(CultureInfo.InvariantCulture, $"The record has {r.Fields.Count} fields but the header of {fileName} has {header.Length}.")));
            var fields = r.Fields.Take(header.Length).ToList();
            while (fields.Count < header.Length)
            {
                fields.Add(string.Empty);
            }

            rows.Add(r with { Fields = fields });
        }

        return new CsvTable(fileName, header, columns, rows);
    }

    private static string At(string fileName, int line, int columnIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileName}:{line}:{columnIndex + 1}");

    private static List<CsvRow> ReadRecords(string fileName, string text, ICollection<ValidationProblem> problems)
    {
        var malformed = false;
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            Separator = ',',
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            TrimWhitespace = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = _ => malformed = true,
        };
        var records = new List<CsvRow>();
        using var reader = CsvReader.FromText(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, options);
        while (reader.Read())
        {
            var line = checked((int)reader.LineNumber);
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }

            if (malformed)
            {
                ReportMalformed(fileName, line, reader, problems);
                malformed = false;
            }

            records.Add(new CsvRow(line, fields));
        }

        return records;
    }

    /// <summary>
    /// CsvHelper says a record is malformed but not where: each raw field (quotes and all) is looked at to name the
    /// field, and the line it starts on, of each quoting problem.
    /// </summary>
    private static void ReportMalformed(string fileName, int line, CsvReader reader, ICollection<ValidationProblem> problems)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var raw = System.Text.Encoding.UTF8.GetString(reader.GetRawSpan(i));
            var problem = QuotingProblem(raw);
            if (problem is { } p)
            {
                problems.Add(new(At(fileName, line, i), p.Rule, p.Message));
            }

            line += raw.Count(c => c == '\n') + (raw.Contains('\r', StringComparison.Ordinal) && !raw.Contains('\n', StringComparison.Ordinal) ? raw.Count(c => c == '\r') : 0);
        }
    }

    private static (string Rule, string Message)? QuotingProblem(string raw)
    {
        if (raw.Length == 0 || raw[0] != '"')
        {
            return raw.Contains('"', StringComparison.Ordinal)
                ? ("csv.quote.unexpected", "A quote appears inside an unquoted field; quote the whole field and double the quote (\"\").")
                : null;
        }

        // A quoted field: find its closing quote (doubled quotes are text).
        var k = 1;
        while (k < raw.Length)
        {
            if (raw[k] == '"')
            {
                if (k + 1 < raw.Length && raw[k + 1] == '"')
                {
                    k += 2;
                    continue;
                }

                return k + 1 < raw.Length ? ("csv.quote.text-after", "Text follows the closing quote of a quoted field.") : null;
            }

            k++;
        }

        return ("csv.quote.unterminated", "A quoted field is never closed: the file ends inside it.");
    }
}
