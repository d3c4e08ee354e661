using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The baseline of the readiness benchmarks: what an application without the store's SQL report would do. It
/// loads every student's passport and checks each with <see cref="ReadinessCheck.Check"/> in memory.
/// </summary>
public static class LoadAllReadiness
{
    public static async Task<ReadinessReport> ComputeAsync(IBackpackStore store, IEnumerable<StudentId> students, ReadinessReportRequest request)
    {
        var content = new FrameworkContent("request", request.Skills.Select((id, i) => new Skill(id, id.ToString(), i + 1)).ToValueList());
        var rows = new Dictionary<(SchoolId, GradeLevel), (int Students, int Ready, Dictionary<SkillId, int> Gaps)>();
        foreach (var id in students)
        {
            var passport = (await store.LoadPassportAsync(id))!;
            if (passport.Student.LatestEnrollmentIn(request.Year) is not { } e
                || (request.Grades.Count > 0 && !request.Grades.Contains(e.Grade))
                || (request.Schools.Count > 0 && !request.Schools.Contains(e.SchoolId)))
            {
                continue;
            }

            var result = ReadinessCheck.Check(id, content, request.Year, request.TransitionGrades.BandOf(e.Grade), passport.Artifacts, request.Rule);
            var key = (e.SchoolId, e.Grade);
            if (!rows.TryGetValue(key, out var row))
            {
                row = (0, 0, request.Skills.ToDictionary(s => s, _ => 0));
            }

            foreach (var gap in result.Gaps)
            {
                row.Gaps[gap.SkillId]++;
            }

            rows[key] = (row.Students + 1, row.Ready + (result.IsReady ? 1 : 0), row.Gaps);
        }

        return new ReadinessReport(
            request.Year,
            rows.Select(r => new ReadinessReportRow(r.Key.Item1, r.Key.Item2, r.Value.Students, r.Value.Ready, request.Skills.Select(s => new SkillGapCount(s, r.Value.Gaps[s])).ToValueList())).ToValueList()).Normalize();
    }
}
