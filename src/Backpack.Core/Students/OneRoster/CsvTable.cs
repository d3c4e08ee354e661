using System.Globalization;
using System.Text;

namespace Backpack.Core.Students.OneRoster;

/// <summary>One CSV record: the physical line it starts on and its fields.</summary>
internal sealed record CsvRow(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A parsed CSV file: a header mapped by name (case-insensitive; order free; extra columns kept but unused)
/// and its records. Problems are reported as <c>file.csv:line:column</c> with 1-based line and column.
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
        _columns.TryGetValue(column, out var i)
            ? string.Create(CultureInfo.InvariantCulture, $"{FileName}:{line}:{i + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"{FileName}:{line}");

    /// <summary>
    /// Parses RFC 4180 text: quoted fields may hold commas, doubled quotes and line breaks; records end with
    /// CRLF or LF; a leading UTF-8 BOM is ignored; blank lines are skipped. Returns <see langword="null"/>
    /// when the file has no header.
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
            if (header[i].Length == 0)
            {
                continue;
            }

            if (!columns.TryAdd(header[i], i))
            {
                problems.Add(new(
                    string.Create(CultureInfo.InvariantCulture, $"{fileName}:{records[0].Line}:{i + 1}"),
                    "csv.header.duplicate",
                    $"The column '{header[i]}' appears twice in the header of {fileName}."));
            }
        }

        var rows = new List<CsvRow>(records.Count - 1);
        foreach (var r in records.Skip(1))
        {
            if (r.Fields.Count != header.Length)
            {
                var column = Math.Min(r.Fields.Count, header.Length) + 1;
                problems.Add(new(
                    string.Create(CultureInfo.InvariantCulture, $"{fileName}:{r.Line}:{column}"),
                    "csv.row.field-count",
                    string.Create(CultureInfo.InvariantCulture, $"The record has {r.Fields.Count} fields but the header of {fileName} has {header.Length}.")));
                var fields = r.Fields.Take(header.Length).ToList();
                while (fields.Count < header.Length)
                {
                    fields.Add(string.Empty);
                }

                rows.Add(r with { Fields = fields });
            }
            else
            {
                rows.Add(r);
            }
        }

        return new CsvTable(fileName, header, columns, rows);
    }

    private static List<CsvRow> ReadRecords(string fileName, string text, ICollection<ValidationProblem> problems)
    {
        var records = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var line = 1;
        var recordLine = 1;
        var quoteLine = 1;
        var inQuotes = false;
        var wasQuoted = false;
        var afterQuote = false;

        string Where(int l) => string.Create(CultureInfo.InvariantCulture, $"{fileName}:{l}:{fields.Count + 1}");

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            afterQuote = false;
        }

        void EndRecord()
        {
            EndField();
            var blank = fields.Count == 1 && fields[0].Length == 0 && !wasQuoted;
            if (!blank)
            {
                records.Add(new CsvRow(recordLine, fields.ToArray()));
            }

            fields.Clear();
            wasQuoted = false;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    inQuotes = false;
                    afterQuote = true;
                    i++;
                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                field.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case ',':
                    EndField();
                    i++;
                    break;
                case '\r' or '\n':
                    EndRecord();
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    recordLine = line;
                    break;
                case '"' when field.Length == 0 && !afterQuote:
                    inQuotes = true;
                    wasQuoted = true;
                    quoteLine = line;
                    i++;
                    break;
                default:
                    if (c == '"')
                    {
                        problems.Add(new(Where(line), "csv.quote.unexpected", "A quote appears inside an unquoted field; quote the whole field and double the quote (\"\")."));
                    }
                    else if (afterQuote)
                    {
                        problems.Add(new(Where(line), "csv.quote.text-after", "Text follows the closing quote of a quoted field."));
                        afterQuote = false;
                    }

                    field.Append(c);
                    i++;
                    break;
            }
        }

        if (inQuotes)
        {
            problems.Add(new(Where(quoteLine), "csv.quote.unterminated", "A quoted field is never closed: the file ends inside it."));
        }

        if (field.Length > 0 || fields.Count > 0 || wasQuoted)
        {
            EndRecord();
        }

        return records;
    }
}
