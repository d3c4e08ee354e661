using System.Globalization;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <summary>
/// Generates one <see cref="SyntheticDistrict"/>, student by student, from one seeded <see cref="Random"/>
/// consumed in a fixed order. Student text comes from small pools of shared strings, so a million
/// artifacts cost little more than their records.
/// </summary>
internal sealed class SyntheticDistrictGenerator
{
    private const int GradeSlots = 14;

    private static readonly string[] SkillNames =
    [
        "Prepared and Resilient Learner",
        "Globally and Culturally Competent Citizen",
        "Emerging Innovator",
        "Effective Communicator",
        "Productive Collaborator",
    ];

    private static readonly (string Name, decimal Score)[] LevelNames = [("Emerging", 1m), ("Developing", 2m), ("Ready", 3m), ("Excelling", 4m)];

    private static readonly string[] DefenseDimensions = ["Presentation", "Evidence of Growth", "Reflection", "Response to Questions"];

    private static readonly string[] Kinds =
    [
        "Lab report", "Essay", "Slide deck", "Podcast episode", "Design sketch", "Math investigation",
        "Art piece", "Project plan", "Field journal", "Poster", "Video explainer", "Code notebook",
    ];

    private static readonly string[] Topics =
    [
        "the water cycle", "local history", "fractions", "ecosystems", "a persuasive letter", "the community garden",
        "bridge design", "poetry", "a budget plan", "weather data", "family stories", "robotics",
    ];

    private static readonly string[] Courses = ["English Language Arts", "Science", "Mathematics", "Social Studies", "Art", "Advisory"];

    private static readonly string[] SecondarySubjects = ["English Language Arts", "Science", "Advisory"];

    private static readonly string[] ReasoningTemplates =
    [
        "This shows {0} because I planned the work, checked it against the goal and revised it.",
        "I think this is evidence of {0}: I had to try several approaches before one worked.",
        "This piece shows {0} because I explained my thinking to others and used their ideas.",
        "Working on this helped me grow as a {0}; the second draft is much stronger than the first.",
    ];

    private static readonly string[] ReflectionTexts =
    [
        "At first this was hard, but I kept going and asked for feedback. Next time I will start earlier.",
        "I am proud of how this turned out. I learned to break a big task into smaller steps.",
        "My group disagreed at the start; we listened to each other and found a plan that used everyone's ideas.",
        "If I did this again I would test my idea sooner. I learned that mistakes show me what to change.",
        "This shows how my writing has changed since last year: clearer sentences and stronger evidence.",
        "I connected this project to my community and learned about perspectives different from mine.",
    ];

    private static readonly string[] FeedbackTexts =
    [
        "Strong evidence here; consider adding a sentence on what you would change next time.",
        "Your reasoning is clear. Link it to the indicator for your grade band.",
        "Great growth since your last piece. Keep the reflection specific.",
    ];

    private readonly SyntheticDistrictOptions _options;
    private readonly Random _rng;

    // Student groups come from their own generator, so adding them left every other value of a seed as it was.
    private readonly Random _groups;
    private readonly int _currentYear;
    private readonly int _firstYear;
    private readonly DateOnly _asOf;
    private readonly string[] _titles;
    private readonly string[][] _reasoning;

    private readonly List<School> _schools = [];
    private readonly Dictionary<SchoolId, int> _schoolIndex = [];
    private readonly List<int>[] _schoolsByLevel = [[], [], []];
    private readonly List<PersonId[]> _teachers = [];
    private readonly List<PersonId> _partners = [];
    private readonly List<Student> _students = [];
    private readonly List<Artifact> _artifacts;
    private readonly List<Evaluation> _evaluations;
    private readonly List<Milestone> _milestones = [];

    // Per year (index from the first year), per school and grade slot: the students who ended the year there.
    private readonly List<StudentId>?[][] _placed;

    private SkillsFramework _framework = null!;
    private Rubric _skillsRubric = null!;
    private Rubric _defenseRubric = null!;
    private SkillId[] _skills = [];
    private RubricCriterion[] _skillCriteria = [];

    public SyntheticDistrictGenerator(SyntheticDistrictOptions options)
    {
        _options = options;
#pragma warning disable CA5394 // Reproducible synthetic data needs a seeded generator, not a cryptographic one.
        _rng = new Random(options.Seed);
        _groups = new Random(options.Seed ^ 0x5EED);
#pragma warning restore CA5394
        _currentYear = options.CurrentYear.StartYear;
        _firstYear = _currentYear - options.YearsOfHistory + 1;
        _asOf = SyntheticDistrict.AsOfDate(options.CurrentYear);
        _titles = Kinds.SelectMany(k => Topics.Select(t => $"{k}: {t}")).ToArray();
        _reasoning = SkillNames.Select(n => ReasoningTemplates.Select(t => string.Format(CultureInfo.InvariantCulture, t, n)).ToArray()).ToArray();
        var expectedArtifacts = (int)Math.Min(int.MaxValue / 2, options.Students * options.YearsOfHistory * options.ArtifactsPerStudentPerYear * 1.05);
        _artifacts = new List<Artifact>(expectedArtifacts);
        _evaluations = new List<Evaluation>((int)(expectedArtifacts * options.EvaluatedArtifactShare * 1.6));
        _placed = new List<StudentId>?[options.YearsOfHistory][];
    }

    public SyntheticDistrict Generate()
    {
        GenerateFramework();
        GenerateRubrics();
        GenerateSchools();
        for (var y = 0; y < _placed.Length; y++)
        {
            _placed[y] = new List<StudentId>?[_schools.Count * GradeSlots];
        }

        var studentArtifacts = new List<Artifact>(64);
        for (var i = 0; i < _options.Students; i++)
        {
            GenerateStudent(i, studentArtifacts);
        }

        var rosters = GenerateRosters();
        var data = new DistrictDataSet
        {
            Frameworks = [_framework],
            Rubrics = [_skillsRubric, _defenseRubric],
            Schools = _schools,
            Students = _students,
            Rosters = rosters,
            Artifacts = _artifacts,
            Evaluations = _evaluations,
            Milestones = _milestones,
        };
        return new SyntheticDistrict(
            _options,
            data,
            _framework,
            _skillsRubric,
            _defenseRubric,
            _schools.Select(s => s.Id).ToValueList(),
            _teachers.SelectMany(t => t).ToValueList());
    }

    private static int LevelOf(int grade) => grade <= 5 ? 0 : grade <= 8 ? 1 : 2;

    private static DateOnly YearStart(int year) => new(year, 8, 15);

    private static DateOnly YearEnd(int year) => new(year + 1, 6, 5);

    private static DateTimeOffset At(DateOnly day, int minutes) =>
        new(day.ToDateTime(new TimeOnly(7, 0)).AddMinutes(minutes), TimeSpan.Zero);

    private Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private bool Chance(double p) => _rng.NextDouble() < p;

    /// <summary>District reporting groups, as OneRoster demographics would flag them: English learners (~12%), students with an IEP (~14%), free or reduced lunch (~40%).</summary>
    private ValueList<string> NextGroups()
    {
        var groups = new List<string>(3);
        if (_groups.NextDouble() < 0.12)
        {
            groups.Add("english-learner");
        }

        if (_groups.NextDouble() < 0.14)
        {
            groups.Add("iep");
        }

        if (_groups.NextDouble() < 0.4)
        {
            groups.Add("free-reduced-lunch");
        }

        return groups.ToValueList();
    }

    /// <summary>A count with the given mean: uniform on [0, 2 * mean], stochastically rounded.</summary>
    private int CountWithMean(double mean) => (int)Math.Floor((_rng.NextDouble() * 2 * mean) + _rng.NextDouble());

    private string NextToken(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, _rng, static (span, rng) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[rng.Next(alphabet.Length)];
            }
        });
    }

    private void GenerateFramework()
    {
        var bands = new[] { (GradeLevel.PreKindergarten, GradeLevel.Grade(5)), (GradeLevel.Grade(6), GradeLevel.Grade(8)), (GradeLevel.Grade(9), GradeLevel.Grade(12)) };
        var skills = new List<Skill>();
        for (var s = 0; s < SkillNames.Length; s++)
        {
            var indicators = new List<Indicator>();
            for (var b = 0; b < bands.Length; b++)
            {
                var band = new GradeBand(bands[b].Item1, bands[b].Item2);
                indicators.Add(new Indicator(IndicatorId.From(NextGuid()), $"In grades {band}, a {SkillNames[s]} shows the skill in work matched to the band (synthetic indicator {s + 1}.{b + 1}).", band, b + 1)
                {
                    Code = FormattableString.Invariant($"SS.{s + 1}.{b + 1}"),
                });
            }

            skills.Add(new Skill(SkillId.From(NextGuid()), SkillNames[s], s + 1)
            {
                Code = FormattableString.Invariant($"SS.{s + 1}"),
                Description = $"Synthetic description of the {SkillNames[s]} skill.",
                Indicators = indicators.ToValueList(),
            });
        }

        _skills = skills.Select(s => s.Id).ToArray();
        var content = new FrameworkContent("Synthetic District Success Skills", skills.ToValueList())
        {
            Description = "A synthetic graduate profile for tests and benchmarks.",
            Creator = "Synthetic District",
            VersionLabel = "1.0",
            Language = "en",
        };
        _framework = SkillsFramework.Create(FrameworkId.From(NextGuid()), content).Publish(At(YearStart(_firstYear).AddDays(-30), 0));
    }

    private ValueList<RubricLevel> NewLevels() =>
        LevelNames.Select((l, i) => new RubricLevel(LevelId.From(NextGuid()), l.Name, l.Score, i + 1)).ToValueList();

    private void GenerateRubrics()
    {
        var criteria = new List<RubricCriterion>();
        for (var s = 0; s < SkillNames.Length; s++)
        {
            criteria.Add(new RubricCriterion(CriterionId.From(NextGuid()), SkillNames[s], s + 1, NewLevels()) { SkillId = _skills[s] });
        }

        _skillCriteria = [.. criteria];
        _skillsRubric = new Rubric(RubricId.From(NextGuid()), 1, "Synthetic Success Skills Rubric", criteria.ToValueList(), "Ready").EnsureValid();
        var defense = DefenseDimensions
            .Select((d, i) => new RubricCriterion(CriterionId.From(NextGuid()), d, i + 1, NewLevels()) { DefenseDimension = d })
            .ToValueList();
        _defenseRubric = new Rubric(RubricId.From(NextGuid()), 1, "Synthetic Defense of Learning Rubric", defense, "Ready").EnsureValid();
    }

    private void GenerateSchools()
    {
        var total = _options.SchoolCount;
        var middle = Math.Max(1, (int)Math.Round(total * 0.2));
        var high = Math.Max(1, (int)Math.Round(total * 0.2));
        var elementary = total - middle - high;
        (string Kind, string Code, int Count, int Grades)[] kinds = [("Elementary School", "E", elementary, 7), ("Middle School", "M", middle, 3), ("High School", "H", high, 4)];
        for (var level = 0; level < kinds.Length; level++)
        {
            var (kind, code, count, grades) = kinds[level];
            var expectedStudents = (double)_options.Students * grades / GradeSlots / count;
            var teacherCount = Math.Max(2, (int)Math.Ceiling(expectedStudents / 20));
            for (var n = 1; n <= count; n++)
            {
                _schoolsByLevel[level].Add(_schools.Count);
                var school = new School(SchoolId.From(NextGuid()), FormattableString.Invariant($"{kind} {n:D3}"), FormattableString.Invariant($"{code}{n:D3}"));
                _schoolIndex.Add(school.Id, _schools.Count);
                _schools.Add(school);
                var teachers = new PersonId[teacherCount];
                for (var t = 0; t < teachers.Length; t++)
                {
                    teachers[t] = PersonId.From(NextGuid());
                }

                _teachers.Add(teachers);
            }
        }

        var partners = Math.Max(5, total * 2);
        for (var p = 0; p < partners; p++)
        {
            _partners.Add(PersonId.From(NextGuid()));
        }
    }

    private int PickSchool(int level) => _schoolsByLevel[level][_rng.Next(_schoolsByLevel[level].Count)];

    private int PickOtherSchool(int level, int not)
    {
        var list = _schoolsByLevel[level];
        if (list.Count == 1)
        {
            return list[0];
        }

        while (true)
        {
            var s = list[_rng.Next(list.Count)];
            if (s != not)
            {
                return s;
            }
        }
    }

    private void GenerateStudent(int number, List<Artifact> studentArtifacts)
    {
        var id = StudentId.From(NextGuid());
        var grade = _rng.Next(-1, 13);
        var ability = _rng.NextDouble();
        int[] home = [PickSchool(0), PickSchool(1), PickSchool(2)];
        var guardians = new PersonId[Chance(0.4) ? 2 : 1];
        for (var g = 0; g < guardians.Length; g++)
        {
            guardians[g] = PersonId.From(NextGuid());
        }

        var enrollments = new List<Enrollment>(_options.YearsOfHistory + 2);
        for (var h = _options.YearsOfHistory - 1; h >= 0; h--)
        {
            var g = grade - h;
            if (g < -1)
            {
                continue;
            }

            AddYearOfEnrollments(enrollments, _currentYear - h, g, home[LevelOf(g)], h == 0);
        }

        var student = new Student(id, FormattableString.Invariant($"S{number + 1:D7}"), FormattableString.Invariant($"Student {number + 1:D5}"), enrollments.ToValueList())
        {
            GoogleUserId = FormattableString.Invariant($"1{number + 1:D11}"),
            OneRosterSourcedId = FormattableString.Invariant($"stu-{number + 1:D7}"),
            Email = FormattableString.Invariant($"student{number + 1:D5}@students.synthetic-district.example"),
            Guardians = ValueList<PersonId>.FromArray(guardians),
            Groups = NextGroups(),
        };
        _students.Add(student);

        studentArtifacts.Clear();
        for (var year = _firstYear; year <= _currentYear; year++)
        {
            var latest = student.LatestEnrollmentIn(new SchoolYear(year));
            if (latest is null)
            {
                continue;
            }

            GenerateArtifacts(student, year, ability, studentArtifacts);
            var placed = _placed[year - _firstYear];
            var slot = (_schoolIndex[latest.SchoolId] * GradeSlots) + latest.Grade.Ordinal + 1;
            (placed[slot] ??= []).Add(id);
            if (_options.TransitionGrades.IsTransition(latest.Grade))
            {
                GenerateDefense(student, year, latest, ability, studentArtifacts);
            }
        }
    }

    private void AddYearOfEnrollments(List<Enrollment> enrollments, int year, int grade, int school, bool isCurrent)
    {
        var sy = new SchoolYear(year);
        var start = YearStart(year);
        var end = YearEnd(year);
        DateOnly? last = isCurrent ? null : end;
        var g = GradeLevel.FromOrdinal(grade);
        if (!Chance(_options.TransferShare))
        {
            enrollments.Add(new Enrollment(_schools[school].Id, g, sy, start, last));
            return;
        }

        // A mid-year transfer; sometimes across a grade band (a placement change at a band edge).
        var grade2 = grade;
        if (Chance(0.1))
        {
            if (_options.TransitionGrades.IsTransition(g) && grade < 12)
            {
                grade2 = grade + 1;
            }
            else if (grade > -1 && _options.TransitionGrades.IsTransition(GradeLevel.FromOrdinal(grade - 1)))
            {
                grade2 = grade - 1;
            }
        }

        var g2 = GradeLevel.FromOrdinal(grade2);
        var school2 = LevelOf(grade2) == LevelOf(grade) ? PickOtherSchool(LevelOf(grade), school) : PickSchool(LevelOf(grade2));
        var moved = start.AddDays(_rng.Next(45, 200));
        var limit = isCurrent ? _asOf : end;
        enrollments.Add(new Enrollment(_schools[school].Id, g, sy, start, moved.AddDays(-1)));
        var room = limit.DayNumber - moved.DayNumber;
        if (room > 40 && Chance(0.25))
        {
            // Back and forth: returns to the first school later in the year.
            var back = moved.AddDays(_rng.Next(20, Math.Min(90, room - 5)));
            enrollments.Add(new Enrollment(_schools[school2].Id, g2, sy, moved, back.AddDays(-1)));
            enrollments.Add(new Enrollment(_schools[school].Id, g, sy, back, last));
        }
        else
        {
            enrollments.Add(new Enrollment(_schools[school2].Id, g2, sy, moved, last));
        }
    }

    private void GenerateArtifacts(Student student, int year, double ability, List<Artifact> studentArtifacts)
    {
        var sy = new SchoolYear(year);
        var start = YearStart(year);
        var lastDay = year == _currentYear ? _asOf : YearEnd(year);
        var days = lastDay.DayNumber - start.DayNumber + 1;
        var n = CountWithMean(_options.ArtifactsPerStudentPerYear);
        for (var a = 0; a < n; a++)
        {
            var day = start.AddDays(_rng.Next(days));
            var enrollment = student.EnrollmentOn(day) ?? student.LatestEnrollmentIn(sy)!;
            var course = Courses[_rng.Next(Courses.Length)];
            var captured = new CaptureContext(sy, enrollment.Grade, enrollment.SchoolId, course);
            var createdAt = At(day, _rng.Next(0, 600));
            var artifact = new Artifact(ArtifactId.From(NextGuid()), student.Id, _titles[_rng.Next(_titles.Length)], NextSource(), captured, NextState(), createdAt)
            {
                Alignments = NextAlignments(ability),
            };

            var reflections = _rng.NextDouble() < 0.35 + (0.4 * ability) ? (Chance(0.25) ? 2 : 1) : 0;
            if (reflections > 0)
            {
                var list = new Reflection[reflections];
                for (var r = 0; r < reflections; r++)
                {
                    list[r] = new Reflection(r + 1, ReflectionTexts[_rng.Next(ReflectionTexts.Length)], createdAt.AddDays(1 + (r * 7)));
                }

                artifact = artifact with { Reflections = ValueList<Reflection>.FromArray(list) };
            }

            var teachers = _teachers[_schoolIndex[enrollment.SchoolId]];
            if (Chance(0.15))
            {
                artifact = artifact with { Feedback = ValueList.Of(new TeacherFeedback(teachers[_rng.Next(teachers.Length)], FeedbackTexts[_rng.Next(FeedbackTexts.Length)], createdAt.AddDays(3))) };
            }

            _artifacts.Add(artifact);
            studentArtifacts.Add(artifact);
            if (artifact.IsCollected && artifact.Alignments.Count > 0 && Chance(_options.EvaluatedArtifactShare))
            {
                EvaluateArtifact(artifact, teachers, ability);
            }
        }
    }

    private ArtifactSource NextSource()
    {
        var roll = _rng.NextDouble();
        if (roll < 0.7)
        {
            return new DriveFileSource(NextToken(20), "application/vnd.google-apps.document");
        }

        if (roll < 0.9)
        {
            var file = NextToken(20);
            return new ClassroomSubmissionSource(NextToken(12), NextToken(12), NextToken(16), file) { DriveFileId = file, AssignmentTitle = _titles[_rng.Next(_titles.Length)] };
        }

        return new WebLinkSource(new Uri("https://portfolio.synthetic-district.example/work/" + NextToken(12)));
    }

    private CurationState NextState()
    {
        var roll = _rng.NextDouble();
        return roll switch
        {
            < 0.12 => CurationState.Suggested,
            < 0.77 => CurationState.Collected,
            < 0.87 => CurationState.Showcased,
            _ => CurationState.Archived,
        };
    }

    private ValueList<SkillAlignment> NextAlignments(double ability)
    {
        var roll = _rng.NextDouble();
        var count = roll < 0.08 ? 0 : roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3;
        if (count == 0)
        {
            return ValueList<SkillAlignment>.Empty;
        }

        var result = new SkillAlignment[count];
        Span<bool> used = stackalloc bool[_skills.Length];
        for (var i = 0; i < count; i++)
        {
            int s;
            do
            {
                s = _rng.Next(_skills.Length);
            }
            while (used[s]);

            used[s] = true;
            var reasoning = _rng.NextDouble() < 0.7 + (0.25 * ability) ? _reasoning[s][_rng.Next(ReasoningTemplates.Length)] : null;
            result[i] = new SkillAlignment(_skills[s], reasoning);
        }

        return ValueList<SkillAlignment>.FromArray(result);
    }

    private int NextLevel(double ability) => Math.Clamp((int)((ability * 1.6) + (_rng.NextDouble() * 2.4)), 0, LevelNames.Length - 1);

    private void EvaluateArtifact(Artifact artifact, PersonId[] teachers, double ability)
    {
        var evaluators = Math.Min(teachers.Length, _rng.Next(1, 4));
        var first = _rng.Next(teachers.Length);
        for (var e = 0; e < evaluators; e++)
        {
            var scores = new CriterionScore[artifact.Alignments.Count];
            for (var i = 0; i < scores.Length; i++)
            {
                var criterion = _skillCriteria[Array.IndexOf(_skills, artifact.Alignments[i].SkillId)];
                scores[i] = new CriterionScore(criterion.Id, criterion.Levels[NextLevel(ability)].Id);
            }

            _evaluations.Add(new Evaluation(
                EvaluationId.From(NextGuid()),
                artifact.StudentId,
                _skillsRubric.Ref,
                teachers[(first + e) % teachers.Length],
                EvaluatorRole.Teacher,
                ValueList<CriterionScore>.FromArray(scores),
                artifact.CreatedAt.AddDays(2 + e),
                artifact.Captured)
            {
                ArtifactId = artifact.Id,
            });
        }
    }

    private void GenerateDefense(Student student, int year, Enrollment latest, double ability, List<Artifact> studentArtifacts)
    {
        var sy = new SchoolYear(year);
        var context = new CaptureContext(sy, latest.Grade, latest.SchoolId, "Defense of Learning");
        var scheduledDay = new DateOnly(year + 1, 3, 20).AddDays(_rng.Next(0, 72));
        var scheduledAt = At(scheduledDay, _rng.Next(1, 8) * 60);
        var teachers = _teachers[_schoolIndex[latest.SchoolId]];
        var panel = new List<Panelist>(4)
        {
            new(teachers[_rng.Next(teachers.Length)], PanelRole.Educator),
            new(_partners[_rng.Next(_partners.Count)], PanelRole.CommunityPartner),
            new(student.Guardians[0], PanelRole.FamilyMember),
        };
        if (Chance(0.5))
        {
            panel.Add(new(teachers[_rng.Next(teachers.Length)], PanelRole.Educator));
        }

        var band = _options.TransitionGrades.BandOf(latest.Grade);
        var showcase = new List<ShowcaseEntry>(_skills.Length);
        foreach (var skill in _skills)
        {
            var chosen = studentArtifacts
                .Where(a => a.IsCollected && a.Captured.Year <= sy && band.Contains(a.Captured.Grade) && a.Alignments.Any(l => l.SkillId == skill && l.HasReasoning))
                .TakeLast(2)
                .Select(a => a.Id)
                .ToValueList();
            if (chosen.Count > 0)
            {
                showcase.Add(new ShowcaseEntry(skill, chosen));
            }
        }

        var milestone = new Milestone(MilestoneId.From(NextGuid()), student.Id, MilestoneKind.DefenseOfLearning, context, scheduledAt, MilestoneStatus.Scheduled)
        {
            Rubric = _defenseRubric.Ref,
        }
            .WithPanel(panel)
            .WithShowcase(showcase);

        var isCurrent = year == _currentYear;
        var happened = !isCurrent || scheduledDay < _asOf;
        if (Chance(0.02))
        {
            milestone = milestone.Cancel(scheduledAt.AddDays(-7));
        }
        else if (happened)
        {
            milestone = milestone.Hold(scheduledAt);
            var evaluations = new List<Evaluation>(milestone.Panel.Count);
            for (var p = 0; p < milestone.Panel.Count; p++)
            {
                var panelist = milestone.Panel[p];
                var scores = _defenseRubric.Criteria.Select(c => new CriterionScore(c.Id, c.Levels[NextLevel(ability)].Id)).ToValueList();
                evaluations.Add(new Evaluation(
                    EvaluationId.From(NextGuid()),
                    student.Id,
                    _defenseRubric.Ref,
                    panelist.PersonId,
                    panelist.Role == PanelRole.Educator ? EvaluatorRole.Teacher : EvaluatorRole.Panelist,
                    scores,
                    scheduledAt.AddMinutes(30 + p),
                    context)
                {
                    MilestoneId = milestone.Id,
                });
            }

            _evaluations.AddRange(evaluations);
            if (!isCurrent || Chance(0.5))
            {
                milestone = milestone.CloseWithPanelScores(_defenseRubric, evaluations, ScoreCombination.MedianLevel, scheduledAt.AddDays(1));
            }
        }

        _milestones.Add(milestone);
    }

    private List<Roster> GenerateRosters()
    {
        var rosters = new List<Roster>();
        for (var y = 0; y < _placed.Length; y++)
        {
            var year = new SchoolYear(_firstYear + y);
            var archived = year.StartYear < _currentYear;
            for (var school = 0; school < _schools.Count; school++)
            {
                var teachers = _teachers[school];
                var next = 0;
                for (var slot = 0; slot < GradeSlots; slot++)
                {
                    var students = _placed[y][(school * GradeSlots) + slot];
                    if (students is null)
                    {
                        continue;
                    }

                    var grade = GradeLevel.FromOrdinal(slot - 1);
                    string[] subjects = LevelOf(grade.Ordinal) == 0 ? ["Homeroom"] : SecondarySubjects;
                    foreach (var subject in subjects)
                    {
                        var section = 0;
                        for (var from = 0; from < students.Count; from += _options.SectionSize)
                        {
                            var count = Math.Min(_options.SectionSize, students.Count - from);
                            var roster = new Roster(
                                RosterId.From(NextGuid()),
                                _schools[school].Id,
                                year,
                                FormattableString.Invariant($"Grade {grade} {subject} {(char)('A' + (section % 26))}{(section >= 26 ? (section / 26).ToString(CultureInfo.InvariantCulture) : string.Empty)}"),
                                Chance(0.1) && teachers.Length > 1
                                    ? ValueList.Of(teachers[next % teachers.Length], teachers[(next + 1) % teachers.Length])
                                    : ValueList.Of(teachers[next % teachers.Length]),
                                students.GetRange(from, count).ToValueList())
                            {
                                IsArchived = archived,
                                ClassroomCourseId = archived ? null : _rng.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture),
                            };
                            rosters.Add(roster);
                            next++;
                            section++;
                        }
                    }
                }
            }
        }

        return rosters;
    }
}
