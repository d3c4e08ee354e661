using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Access;

/// <summary>
/// Checks, before a command commits, that every id a change names (newly) exists in the district: skills active
/// in the published framework the year uses, schools, rubrics, artifacts and milestones of the right student,
/// and roster students enrolled at the roster's school in its year. Items put in the same command count.
/// Every problem names the field and the rule; nothing is saved when there is one.
/// </summary>
internal sealed class ReferenceCheck(IBackpackStore store, bool rosterSourceIsAuthoritative)
{
    private readonly List<Func<Lookup, CancellationToken, Task>> _checks = [];
    private readonly Dictionary<SchoolId, School> _newSchools = [];
    private readonly Dictionary<StudentId, Student> _newStudents = [];

    public void Clear()
    {
        _checks.Clear();
        _newSchools.Clear();
        _newStudents.Clear();
    }

    public void School(School school) => _newSchools[school.Id] = school;

    public void Artifact(Artifact? before, Artifact after)
    {
        var year = after.Captured.Year;
        for (var i = 0; i < after.Alignments.Count; i++)
        {
            var skill = after.Alignments[i].SkillId;
            if (before is null || !before.Alignments.Any(a => a.SkillId == skill))
            {
                var path = $"$.alignments[{i}].skillId";
                _checks.Add((l, ct) => l.SkillAsync(skill, year, path, ct));
            }
        }

        if (before is null || before.Captured.SchoolId != after.Captured.SchoolId)
        {
            _checks.Add((l, ct) => l.SchoolAsync(after.Captured.SchoolId, "$.captured.schoolId", ct));
        }
    }

    public void Milestone(Milestone? before, Milestone after)
    {
        if (after.Rubric is { } rubric && before?.Rubric != rubric)
        {
            _checks.Add((l, ct) => l.RubricAsync(rubric, "$.rubric", ct));
        }

        for (var i = 0; i < after.Showcase.Count; i++)
        {
            var skill = after.Showcase[i].SkillId;
            if (before is null || !before.Showcase.Any(e => e.SkillId == skill))
            {
                var path = $"$.showcase[{i}].skillId";
                _checks.Add((l, ct) => l.SkillAsync(skill, after.Context.Year, path, ct));
            }
        }

        if (before is null)
        {
            _checks.Add((l, ct) => l.SchoolAsync(after.Context.SchoolId, "$.context.schoolId", ct));
        }
    }

    public void Student(Student? before, Student after)
    {
        _newStudents[after.Id] = after;
        for (var i = 0; i < after.Enrollments.Count; i++)
        {
            var e = after.Enrollments[i];
            if (before is null || !before.Enrollments.Any(x => x.SchoolId == e.SchoolId))
            {
                var path = $"$.enrollments[{i}].schoolId";
                _checks.Add((l, ct) => l.SchoolAsync(e.SchoolId, path, ct));
            }
        }
    }

    public void Roster(Roster? before, Roster after)
    {
        if (before is null || before.SchoolId != after.SchoolId)
        {
            _checks.Add((l, ct) => l.SchoolAsync(after.SchoolId, "$.schoolId", ct));
        }

        // A roster sync job's source (OneRoster, Classroom) is authoritative for memberships, including a
        // student's second school; teacher access still needs the student enrolled at the roster's school.
        for (var i = 0; i < after.Students.Count && !rosterSourceIsAuthoritative; i++)
        {
            var id = after.Students[i];
            if (before is null || before.SchoolId != after.SchoolId || before.Year != after.Year || !before.Students.Contains(id))
            {
                var path = $"$.students[{i}]";
                _checks.Add((l, ct) => l.RosterStudentAsync(id, after.SchoolId, after.Year, path, ct));
            }
        }
    }

    public void Evaluation(Evaluation e)
    {
        _checks.Add((l, ct) => l.RubricAsync(e.Rubric, "$.rubric", ct));
        if (e.ArtifactId is { } a)
        {
            _checks.Add((l, ct) => l.ArtifactOfAsync(a, e.StudentId, "$.artifactId", ct));
        }

        if (e.MilestoneId is { } m)
        {
            _checks.Add((l, ct) => l.MilestoneOfAsync(m, e.StudentId, "$.milestoneId", ct));
        }
    }

    public async Task EnsureValidAsync(CancellationToken ct)
    {
        if (_checks.Count == 0)
        {
            return;
        }

        var lookup = new Lookup(store, this);
        foreach (var check in _checks)
        {
            await check(lookup, ct).ConfigureAwait(false);
        }

        if (lookup.Problems.Count > 0)
        {
            throw new BackpackValidationException(lookup.Problems);
        }
    }

    private sealed class Lookup(IBackpackStore store, ReferenceCheck owner)
    {
        private IReadOnlyList<SkillsFramework>? _frameworks;
        private HashSet<SchoolId>? _schools;

        public List<ValidationProblem> Problems { get; } = [];

        public async Task SkillAsync(SkillId skill, SchoolYear year, string path, CancellationToken ct)
        {
            _frameworks ??= await store.ListFrameworksAsync(ct).ConfigureAwait(false);
            var active = _frameworks.Any(f => f.Current?.Content.ActiveSkills(year).Any(s => s.Id == skill) == true);
            if (!active)
            {
                Problems.Add(new(path, "reference.skill.active", $"Skill {skill} is not an active skill of a published framework of the district in {year}."));
            }
        }

        public async Task SchoolAsync(SchoolId school, string path, CancellationToken ct)
        {
            if (owner._newSchools.ContainsKey(school))
            {
                return;
            }

            _schools ??= (await store.ListSchoolsAsync(ct).ConfigureAwait(false)).Select(s => s.Id).ToHashSet();
            if (!_schools.Contains(school))
            {
                Problems.Add(new(path, "reference.school.exists", $"School {school} is not a school of the district."));
            }
        }

        public async Task RubricAsync(Rubrics.RubricRef rubric, string path, CancellationToken ct)
        {
            if (await store.GetRubricAsync(rubric, ct).ConfigureAwait(false) is null)
            {
                Problems.Add(new(path, "reference.rubric.exists", $"Rubric {rubric} is not a rubric version of the district."));
            }
        }

        public async Task ArtifactOfAsync(ArtifactId artifact, StudentId student, string path, CancellationToken ct)
        {
            var a = await store.GetArtifactAsync(artifact, ct).ConfigureAwait(false);
            if (a is null || a.StudentId != student)
            {
                Problems.Add(new(path, "reference.artifact.student", $"Artifact {artifact} is not in student {student}'s backpack."));
            }
        }

        public async Task MilestoneOfAsync(MilestoneId milestone, StudentId student, string path, CancellationToken ct)
        {
            var m = await store.GetMilestoneAsync(milestone, ct).ConfigureAwait(false);
            if (m is null || m.StudentId != student)
            {
                Problems.Add(new(path, "reference.milestone.student", $"Milestone {milestone} is not student {student}'s."));
            }
        }

        public async Task RosterStudentAsync(StudentId id, SchoolId school, SchoolYear year, string path, CancellationToken ct)
        {
            var student = owner._newStudents.TryGetValue(id, out var s) ? s : await store.GetStudentAsync(id, ct).ConfigureAwait(false);
            if (student is null || !student.Enrollments.Any(e => e.SchoolId == school && e.Year == year))
            {
                Problems.Add(new(path, "roster.student.enrolled", $"Student {id} is not enrolled at school {school} in {year}; a roster holds only its school's students."));
            }
        }
    }
}
