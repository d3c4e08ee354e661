using System.Text.RegularExpressions;
using Backpack.Core.Google.Classroom.Api;
using Newtonsoft.Json.Linq;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// Reads coursework into <see cref="ClassroomCourseWork"/>, tolerating fields of later Classroom revisions: a
/// rubric (<c>rubric.criteria[].title</c>, or <c>rubrics[].criteria[].title</c>) and learning standards (any GUID
/// under a field whose name mentions a standard or a CASE item, including CASE URIs ending in the GUID). Nothing
/// unexpected there ever fails a sync; it only yields fewer suggestions.
/// </summary>
internal static partial class CourseWorkReader
{
    public static ClassroomCourseWork Read(string courseId, CourseWorkDto dto) =>
        new(courseId, dto.Id ?? string.Empty, dto.Title ?? string.Empty)
        {
            Description = dto.Description,
            RubricCriteria = Criteria(dto.ExtensionData),
            LearningStandards = Standards(dto.ExtensionData),
        };

    private static List<string> Criteria(IDictionary<string, JToken> extra)
    {
        var titles = new List<string>();
        void FromRubric(JToken? rubric)
        {
            if (rubric is JObject o && o["criteria"] is JArray criteria)
            {
                foreach (var c in criteria.OfType<JObject>())
                {
                    if (c["title"] is JValue { Type: JTokenType.String } t && !string.IsNullOrWhiteSpace((string?)t))
                    {
                        titles.Add(((string)t!).Trim());
                    }
                }
            }
        }

        if (extra.TryGetValue("rubric", out var single))
        {
            FromRubric(single);
        }

        if (extra.TryGetValue("rubrics", out var many) && many is JArray list)
        {
            foreach (var r in list)
            {
                FromRubric(r);
            }
        }

        if (extra.TryGetValue("criteria", out var bare))
        {
            FromRubric(new JObject { ["criteria"] = bare.DeepClone() });
        }

        return titles;
    }

    private static List<Guid> Standards(IDictionary<string, JToken> extra)
    {
        var found = new List<Guid>();
        foreach (var (name, token) in extra)
        {
            if (IsStandardName(name))
            {
                Collect(token, found, depth: 0);
            }
            else if (token is JObject or JArray)
            {
                Search(token, found, depth: 0);
            }
        }

        return found.Distinct().ToList();
    }

    private static void Search(JToken token, List<Guid> found, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        foreach (var child in token.Children())
        {
            if (child is JProperty p)
            {
                if (IsStandardName(p.Name))
                {
                    Collect(p.Value, found, depth + 1);
                }
                else
                {
                    Search(p.Value, found, depth + 1);
                }
            }
            else
            {
                Search(child, found, depth + 1);
            }
        }
    }

    private static void Collect(JToken token, List<Guid> found, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        if (token is JValue { Type: JTokenType.String } v)
        {
            foreach (Match m in GuidPattern().Matches((string)v!))
            {
                if (Guid.TryParse(m.Value, out var g))
                {
                    found.Add(g);
                }
            }

            return;
        }

        foreach (var child in token.Children())
        {
            Collect(child is JProperty p ? p.Value : child, found, depth + 1);
        }
    }

    private static bool IsStandardName(string name) =>
        name.Contains("standard", StringComparison.OrdinalIgnoreCase) || name.Contains("caseItem", StringComparison.OrdinalIgnoreCase)
        || name.Contains("competenc", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GuidPattern();
}
