using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Lifecycle;

/// <summary>
/// A handoff's archive: <c>index.html</c> (static, self-contained HTML: no script, no stylesheet, image or font loaded
/// from anywhere; every piece of text HTML-encoded; well-formed, so it parses as XML too) and the contributors' files,
/// zipped with every timestamp set to the handoff's start so the same handoff gives the same bytes.
/// </summary>
internal sealed class HandoffArchive
{
    private const string Index = "index.html";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly BackpackOptions _options;
    private readonly Handoff _handoff;
    private readonly StudentPassport _record;
    private readonly IReadOnlyDictionary<RubricRef, Rubric> _rubrics;
    private readonly IReadOnlyDictionary<SchoolId, string> _schools;
    private readonly IReadOnlyList<HandoffContribution> _contributions;
    private readonly Dictionary<SkillId, (string Name, int Order)> _skills = [];

    public HandoffArchive(BackpackOptions options, Handoff handoff, StudentPassport record, IEnumerable<SkillsFramework> frameworks, IReadOnlyDictionary<RubricRef, Rubric> rubrics, IReadOnlyDictionary<SchoolId, string> schools, IReadOnlyList<HandoffContribution> contributions)
    {
        _options = options;
        _handoff = handoff;
        _record = record;
        _rubrics = rubrics;
        _schools = schools;
        _contributions = contributions;

        // Skill names from every version of every framework (newest first), in the current version's order.
        var order = 0;
        foreach (var framework in frameworks.OrderBy(f => f.Id))
        {
            foreach (var version in framework.Versions.Reverse())
            {
                foreach (var skill in version.Content.Skills.OrderBy(s => s.Position))
                {
                    _skills.TryAdd(skill.Id, (skill.Name, order++));
                }
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { Index };
        var files = new List<string> { Index };
        for (var i = 0; i < contributions.Count; i++)
        {
            for (var j = 0; j < contributions[i].Files.Count; j++)
            {
                var name = contributions[i].Files[j].Name;
                if (string.IsNullOrEmpty(name) || name.Length > 100 || name[0] == '.' || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_') || !names.Add(name))
                {
                    throw new BackpackValidationException($"$.contributions[{i}].files[{j}].name", "handoff.file.name", "A handoff file needs a unique name of lower-case letters, digits, dots, dashes and underscores, other than index.html.");
                }

                files.Add(name);
            }
        }

        Files = files.ToValueList();
        Artifacts = record.Artifacts.Where(a => a.State != CurationState.Suggested).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToArray();
    }

    /// <summary>The archive's files, <c>index.html</c> first.</summary>
    public ValueList<string> Files { get; }

    /// <summary>The artifacts listed: everything the student kept (collected, showcased, set aside), not suggestions they never took.</summary>
    private Artifact[] Artifacts { get; }

    public int ArtifactCount => Artifacts.Length;

    public int MilestoneCount => _record.Milestones.Count;

    /// <summary>The zip's bytes.</summary>
    public byte[] ToZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, Index, ToHtml());
            foreach (var file in _contributions.SelectMany(c => c.Files))
            {
                Add(zip, file.Name, file.Content);
            }
        }

        return buffer.ToArray();
    }

    private void Add(ZipArchive zip, string name, string text)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);

        // Zip times have a two-second resolution and no zone: the handoff's start in UTC, the same on every run.
        entry.LastWriteTime = new DateTimeOffset(DateTime.SpecifyKind(_handoff.StartedAt.UtcDateTime, DateTimeKind.Unspecified), TimeSpan.Zero);
        using var stream = entry.Open();
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        stream.Write(bytes);
    }

    /// <summary>The <c>index.html</c> page.</summary>
    public string ToHtml()
    {
        var student = _record.Student;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        h.Append("<title>").Append(E(student.DisplayName)).Append(" - Backpack</title>\n");
        h.Append("<style>\nbody { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }\n")
            .Append("article { border-left: 4px solid #c9d7e8; padding: 0.25rem 1rem; margin: 1rem 0; }\n")
            .Append(".text { white-space: pre-wrap; }\n.meta { color: #555; }\n")
            .Append("table { border-collapse: collapse; }\nth, td { border: 1px solid #c9d7e8; padding: 0.25rem 0.5rem; text-align: left; }\n")
            .Append("</style>\n</head>\n<body>\n");

        h.Append("<header>\n<h1>").Append(E(student.DisplayName)).Append("'s backpack</h1>\n");
        h.Append("<p class=\"meta\">").Append(E(Exit())).Append(" This archive was made on ").Append(Day(_handoff.StartedAt))
            .Append(" by ").Append(E(_options.DistrictId)).Append(". It works offline: open it in any browser; nothing here is loaded from the internet.</p>\n");
        h.Append("<nav><ul>\n<li><a href=\"#skills\">Artifacts by skill and year</a></li>\n<li><a href=\"#milestones\">Defenses and milestones</a></li>\n");
        for (var i = 0; i < _contributions.Count; i++)
        {
            h.Append("<li><a href=\"#part-").Append(i + 1).Append("\">").Append(E(_contributions[i].Heading)).Append("</a></li>\n");
        }

        h.Append("<li><a href=\"#sharing\">Sharing</a></li>\n<li><a href=\"#files\">Files in this archive</a></li>\n</ul></nav>\n</header>\n");

        AppendSkills(h);
        AppendMilestones(h);
        for (var i = 0; i < _contributions.Count; i++)
        {
            var c = _contributions[i];
            h.Append("<section id=\"part-").Append(i + 1).Append("\">\n<h2>").Append(E(c.Heading)).Append("</h2>\n<p class=\"text\">").Append(E(c.Text)).Append("</p>\n");
            if (c.Files.Count > 0)
            {
                h.Append("<ul class=\"files\">\n");
                foreach (var f in c.Files)
                {
                    h.Append("<li><a href=\"").Append(E(f.Name)).Append("\">").Append(E(f.Name)).Append("</a>: ").Append(E(f.Description)).Append("</li>\n");
                }

                h.Append("</ul>\n");
            }

            h.Append("</section>\n");
        }

        h.Append("<section id=\"sharing\">\n<h2>Sharing</h2>\n<p>");
        if (_handoff.PersonalEmail is { } email && _handoff.SharedUntil is { } until)
        {
            h.Append("Your showcase folders in Google Drive are shared with <span class=\"email\">").Append(E(email)).Append("</span> (view only) until ")
                .Append(Day(until)).Append(". Look for them under \"Shared with me\" and copy what you want to keep before then.");
        }
        else
        {
            h.Append("Nothing is shared with a personal email address. Teachers' and panels' access to your Backpack folders ends with this handoff.");
        }

        h.Append("</p>\n</section>\n");

        h.Append("<section id=\"files\">\n<h2>Files in this archive</h2>\n<ul>\n");
        foreach (var f in Files)
        {
            h.Append("<li>").Append(E(f)).Append("</li>\n");
        }

        h.Append("</ul>\n</section>\n</body>\n</html>\n");
        return h.ToString();
    }

    private void AppendSkills(StringBuilder h)
    {
        h.Append("<section id=\"skills\">\n<h2>Artifacts by skill and year</h2>\n");
        var bySkill = Artifacts
            .SelectMany(a => a.Alignments.Select(al => (Skill: al.SkillId, Artifact: a, al.Reasoning)))
            .GroupBy(x => x.Skill)
            .OrderBy(g => _skills.TryGetValue(g.Key, out var s) ? s.Order : int.MaxValue)
            .ThenBy(g => g.Key)
            .ToArray();
        if (Artifacts.Length == 0)
        {
            h.Append("<p>The backpack holds no artifacts.</p>\n");
        }

        foreach (var group in bySkill)
        {
            h.Append("<section class=\"skill\" data-skill=\"").Append(group.Key).Append("\">\n<h3>").Append(E(SkillName(group.Key))).Append("</h3>\n");
            AppendYears(h, group.Select(x => (x.Artifact, x.Reasoning, Aligned: true)));
            h.Append("</section>\n");
        }

        var unaligned = Artifacts.Where(a => a.Alignments.Count == 0).ToArray();
        if (unaligned.Length > 0)
        {
            h.Append("<section class=\"skill\">\n<h3>Not aligned to a skill</h3>\n");
            AppendYears(h, unaligned.Select(a => (a, (string?)null, Aligned: false)));
            h.Append("</section>\n");
        }

        h.Append("</section>\n");
    }

    private void AppendYears(StringBuilder h, IEnumerable<(Artifact Artifact, string? Reasoning, bool Aligned)> items)
    {
        foreach (var year in items.GroupBy(x => x.Artifact.Captured.Year).OrderBy(g => g.Key.StartYear))
        {
            h.Append("<section class=\"year\" data-year=\"").Append(year.Key).Append("\">\n<h4>School year ").Append(year.Key).Append("</h4>\n");
            foreach (var (a, reasoning, aligned) in year)
            {
                h.Append("<article class=\"artifact\" data-artifact=\"").Append(a.Id).Append("\">\n<h5>").Append(E(a.Title)).Append("</h5>\n");
                h.Append("<p class=\"meta\">Grade ").Append(E(a.Captured.Grade.ToString())).Append(" at ").Append(E(School(a.Captured.SchoolId)))
                    .Append(", added ").Append(Day(a.CreatedAt)).Append(a.State == CurationState.Archived ? " (set aside)" : string.Empty).Append(".</p>\n");
                AppendLink(h, a.Source);
                if (aligned)
                {
                    h.Append("<p class=\"reasoning\"><strong>Why it shows this skill:</strong> <span class=\"text\">")
                        .Append(string.IsNullOrWhiteSpace(reasoning) ? "(no reasoning written)" : E(reasoning)).Append("</span></p>\n");
                }

                if (a.Reflections.Count > 0)
                {
                    h.Append("<div class=\"reflections\">\n<p><strong>Reflections</strong></p>\n<ol>\n");
                    foreach (var r in a.Reflections)
                    {
                        h.Append("<li class=\"reflection\"><time datetime=\"").Append(Day(r.WrittenAt)).Append("\">").Append(Day(r.WrittenAt)).Append("</time> <span class=\"text\">").Append(E(r.Text)).Append("</span></li>\n");
                    }

                    h.Append("</ol>\n</div>\n");
                }

                if (a.Feedback.Count > 0)
                {
                    h.Append("<div class=\"feedback\">\n<p><strong>Teacher feedback</strong></p>\n<ul>\n");
                    foreach (var f in a.Feedback)
                    {
                        h.Append("<li><time datetime=\"").Append(Day(f.GivenAt)).Append("\">").Append(Day(f.GivenAt)).Append("</time> <span class=\"text\">").Append(E(f.Text)).Append("</span></li>\n");
                    }

                    h.Append("</ul>\n</div>\n");
                }

                h.Append("</article>\n");
            }

            h.Append("</section>\n");
        }
    }

    private static void AppendLink(StringBuilder h, ArtifactSource source)
    {
        var (href, text) = source switch
        {
            DriveFileSource d => (DriveLink(d.FileId), "Open in Google Drive"),
            ClassroomSubmissionSource { DriveFileId: { } id } => (DriveLink(id), "Open in Google Drive (turned in on Classroom)"),
            ClassroomSubmissionSource c when Web(c.AttachmentKey) is { } u => (u, "Open the link (turned in on Classroom)"),
            WebLinkSource w when Web(w.Url.OriginalString) is { } u => (u, "Open the link"),
            ExternalCredentialSource x => (null, "A credential from " + x.Issuer + " (" + x.CredentialId + ")"),
            _ => (null, "No link"),
        };
        h.Append("<p class=\"link\">");
        if (href is null)
        {
            h.Append(E(text));
        }
        else
        {
            h.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a> <span class=\"meta\">").Append(E(href)).Append("</span>");
        }

        h.Append("</p>\n");
    }

    private void AppendMilestones(StringBuilder h)
    {
        h.Append("<section id=\"milestones\">\n<h2>Defenses and milestones</h2>\n");
        if (_record.Milestones.Count == 0)
        {
            h.Append("<p>No milestone is recorded.</p>\n");
        }

        var titles = _record.Artifacts.ToDictionary(a => a.Id, a => a.Title);
        foreach (var m in _record.Milestones.OrderBy(m => m.ScheduledAt).ThenBy(m => m.Id))
        {
            h.Append("<article class=\"milestone\" data-milestone=\"").Append(m.Id).Append("\">\n<h3>").Append(Kind(m.Kind)).Append(", ").Append(Day(m.ScheduledAt)).Append("</h3>\n");
            h.Append("<p class=\"meta\">").Append(Status(m.Status)).Append(". Grade ").Append(E(m.Context.Grade.ToString())).Append(" at ").Append(E(School(m.Context.SchoolId)))
                .Append(", school year ").Append(m.Context.Year).Append('.');
            if (m.Panel.Count > 0)
            {
                h.Append(" Panel: ").Append(m.Panel.Count).Append(" (").Append(string.Join(", ", m.Panel.Select(p => Role(p.Role)))).Append(").");
            }

            h.Append("</p>\n");

            var showcase = m.Snapshot.Count > 0
                ? m.Snapshot.Select(s => (s.SkillId, Titles: s.Items.Select(i => i.Title).ToArray()))
                : m.Showcase.Select(s => (s.SkillId, Titles: s.Artifacts.Select(a => titles.GetValueOrDefault(a, a.ToString())).ToArray()));
            var shown = showcase.ToArray();
            if (shown.Length > 0)
            {
                h.Append("<p>Showcased:</p>\n<ul class=\"showcase\">\n");
                foreach (var (skill, items) in shown)
                {
                    h.Append("<li><strong>").Append(E(SkillName(skill))).Append("</strong>: ").Append(E(string.Join("; ", items))).Append("</li>\n");
                }

                h.Append("</ul>\n");
            }

            if (m.Outcome.Count > 0)
            {
                var rubric = m.Rubric is { } r ? _rubrics.GetValueOrDefault(r) : null;
                h.Append("<table class=\"outcome\">\n<caption>Outcome").Append(rubric is null ? string.Empty : " (" + E(rubric.Title) + ")").Append("</caption>\n")
                    .Append("<thead><tr><th>Criterion</th><th>Level</th><th>Meets the bar</th><th>Panel members who scored</th></tr></thead>\n<tbody>\n");
                foreach (var o in m.Outcome)
                {
                    var criterion = rubric?.FindCriterion(o.CriterionId);
                    var level = criterion?.FindLevel(o.LevelId);
                    var meets = criterion is not null && level is not null && rubric!.Meets(criterion, level);
                    h.Append("<tr><td>").Append(E(criterion?.Name ?? o.CriterionId.ToString())).Append("</td><td>").Append(E(level?.Name ?? o.LevelId.ToString()))
                        .Append("</td><td>").Append(meets ? "yes" : "no").Append("</td><td>").Append(o.Evaluators).Append("</td></tr>\n");
                }

                h.Append("</tbody>\n</table>\n");
            }
            else if (m.Status == MilestoneStatus.Closed)
            {
                h.Append("<p>No outcome was recorded.</p>\n");
            }

            h.Append("</article>\n");
        }

        h.Append("</section>\n");
    }

    private string Exit()
    {
        var reason = _handoff.ExitReason switch
        {
            ExitReason.Graduated => "Graduated",
            ExitReason.Withdrew => "Withdrew",
            ExitReason.TransferredOut => "Transferred out",
            ExitReason.Other => "Left",
            _ => "Left",
        };
        return $"{reason} on {_handoff.ExitedOn.ToString("yyyy-MM-dd", Invariant)}.";
    }

    private string SkillName(SkillId id) => _skills.TryGetValue(id, out var s) ? s.Name : "Skill " + id.ToString();

    private string School(SchoolId id) => _schools.TryGetValue(id, out var name) ? name : "a school of the district";

    private string Day(DateTimeOffset at) => _options.TodayAt(at).ToString("yyyy-MM-dd", Invariant);

    private static string DriveLink(string fileId) => "https://drive.google.com/file/d/" + Uri.EscapeDataString(fileId) + "/view";

    /// <summary>Only http and https links are links; anything else (<c>javascript:</c>, <c>data:</c>) is shown as text.</summary>
    private static string? Web(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) ? u.AbsoluteUri : null;

    private static string Kind(MilestoneKind kind) => kind switch
    {
        MilestoneKind.DefenseOfLearning => "Defense of Learning",
        MilestoneKind.MiniDefense => "Mini-Defense",
        MilestoneKind.StudentLedConference => "Student-Led Conference",
        MilestoneKind.ExhibitionOfLearning => "Exhibition of Learning",
        _ => "Milestone",
    };

    private static string Status(MilestoneStatus status) => status switch
    {
        MilestoneStatus.Scheduled => "Scheduled, not held",
        MilestoneStatus.Held => "Held, not closed",
        MilestoneStatus.Closed => "Closed",
        MilestoneStatus.Cancelled => "Cancelled",
        _ => "Unknown",
    };

    private static string Role(PanelRole role) => role switch
    {
        PanelRole.Educator => "educator",
        PanelRole.CommunityPartner => "community partner",
        PanelRole.FamilyMember => "family member",
        _ => "member",
    };

    /// <summary>HTML-encodes text (also for attribute values: quotes and apostrophes are encoded).</summary>
    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
