using System.Globalization;
using System.Text;

namespace Backpack.Core.Evaluations;

/// <summary>One CSV record: the physical line it starts on and its fields.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// The RFC 4180 records of a small CSV text (the ratings file of <see cref="InterRaterAgreement.ReadCsv"/>; core
/// takes no CSV library): quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF or
/// LF; a leading UTF-8 BOM is ignored; blank lines are skipped. Problems are <c>file:line:column</c>.
/// </summary>
internal static class CsvRecords
{
    public static List<CsvRecord> Read(string fileName, string text, ICollection<ValidationProblem> problems)
    {
        var records = new List<CsvRecord>();
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
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
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
