using Backpack.Core.Milestones;

namespace Backpack.Core.Planning;

/// <summary>Checks a season request and the planner's options, collecting every problem with the field it is in.</summary>
internal static class SeasonValidation
{
    public static void Validate(SeasonRequest request, SeasonPlannerOptions options)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string path, string rule, string message) => problems.Add(new ValidationProblem(path, rule, message));

        if (options.PanelSize < 3)
        {
            Problem("$.options.panelSize", "season.options.panel-size", $"A panel has at least 3 members; {options.PanelSize} was given.");
        }

        if (options.SolverTimePerDay < TimeSpan.Zero || options.SolverTimeTotal < TimeSpan.Zero)
        {
            Problem("$.options.solverTime", "season.options.solver-time", "Solver times cannot be negative.");
        }

        if (options.MaxDegreeOfParallelism < 0)
        {
            Problem("$.options.maxDegreeOfParallelism", "season.options.parallelism", "The degree of parallelism is 0 (every processor) or more.");
        }

        var transition = request.TransitionGrades.ToHashSet();
        var students = new HashSet<StudentId>();
        for (var i = 0; i < request.Students.Count; i++)
        {
            var s = request.Students[i];
            var at = $"$.students[{i}]";
            if (s is null)
            {
                Problem(at, "season.student.required", "A student entry is missing.");
                continue;
            }

            if (s.StudentId.Value == Guid.Empty)
            {
                Problem($"{at}.studentId", "season.student.id", "The student id is empty.");
            }
            else if (!students.Add(s.StudentId))
            {
                Problem($"{at}.studentId", "season.student.duplicate", $"Student {s.StudentId} is listed twice: one defense per student.");
            }

            if (s.SchoolId.Value == Guid.Empty)
            {
                Problem($"{at}.schoolId", "season.student.school", "The school id is empty.");
            }

            if (!transition.Contains(s.Grade))
            {
                Problem($"{at}.grade", "season.student.transition-grade", $"Grade {s.Grade} is not a transition grade ({string.Join(", ", request.TransitionGrades)}).");
            }
        }

        var schools = new HashSet<SchoolId>();
        for (var i = 0; i < request.Schools.Count; i++)
        {
            var s = request.Schools[i];
            var at = $"$.schools[{i}]";
            if (s is null)
            {
                Problem(at, "season.school.required", "A school entry is missing.");
                continue;
            }

            if (!schools.Add(s.SchoolId))
            {
                Problem($"{at}.schoolId", "season.school.duplicate", $"School {s.SchoolId} is listed twice.");
            }

            if (s.Days.Distinct().Count() != s.Days.Count)
            {
                Problem($"{at}.days", "season.school.days.duplicate", "A defense day is listed twice.");
            }

            if (s.Slots.Distinct().Count() != s.Slots.Count)
            {
                Problem($"{at}.slots", "season.school.slots.duplicate", "A slot is listed twice.");
            }

            for (var r = 0; r < s.Rooms.Count; r++)
            {
                if (string.IsNullOrWhiteSpace(s.Rooms[r]))
                {
                    Problem($"{at}.rooms[{r}]", "season.school.room.name", "A room needs a name.");
                }
            }

            if (s.Rooms.Distinct(StringComparer.Ordinal).Count() != s.Rooms.Count)
            {
                Problem($"{at}.rooms", "season.school.rooms.duplicate", "A room is listed twice.");
            }
        }

        var people = new HashSet<PersonId>();
        for (var i = 0; i < request.Panelists.Count; i++)
        {
            var p = request.Panelists[i];
            var at = $"$.panelists[{i}]";
            if (p is null)
            {
                Problem(at, "season.panelist.required", "A panelist entry is missing.");
                continue;
            }

            if (p.PersonId.Value == Guid.Empty)
            {
                Problem($"{at}.personId", "season.panelist.id", "The person id is empty.");
            }
            else if (!people.Add(p.PersonId))
            {
                Problem($"{at}.personId", "season.panelist.duplicate", $"Panelist {p.PersonId} is listed twice.");
            }

            if (!Enum.IsDefined(p.Role))
            {
                Problem($"{at}.role", "season.panelist.role", $"Role {(int)p.Role} is not a panel role.");
            }

            if (p.Schools.Count == 0)
            {
                Problem($"{at}.schools", "season.panelist.schools", "A panelist serves at least one school.");
            }

            if (p.MaxPerDay < 1)
            {
                Problem($"{at}.maxPerDay", "season.panelist.max-per-day", $"The daily maximum is at least 1; {p.MaxPerDay} was given.");
            }
        }

        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }
    }

    public static bool IsCommunityOrFamily(PanelRole role) => role is PanelRole.CommunityPartner or PanelRole.FamilyMember;
}
