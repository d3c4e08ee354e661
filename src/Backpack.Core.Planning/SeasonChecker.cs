using Backpack.Core.Milestones;

namespace Backpack.Core.Planning;

/// <summary>The hard rules a season plan can break.</summary>
public enum SeasonViolationKind
{
    /// <summary>A student of the request is neither scheduled nor listed as unscheduled.</summary>
    StudentMissing,

    /// <summary>A student appears more than once in the plan.</summary>
    StudentTwice,

    /// <summary>The plan names a student the request does not have.</summary>
    UnknownStudent,

    /// <summary>A defense is held at another school than the student's.</summary>
    WrongSchool,

    /// <summary>A defense's day, slot or room is not one of the school's.</summary>
    NotOffered,

    /// <summary>Two defenses share a room in the same slot.</summary>
    RoomDoubleBooked,

    /// <summary>A panel has fewer members than required.</summary>
    PanelTooSmall,

    /// <summary>A panel has no educator.</summary>
    NoEducator,

    /// <summary>A panel has no community partner or family member.</summary>
    NoCommunityOrFamilyMember,

    /// <summary>A person is on the same panel twice.</summary>
    PanelistRepeated,

    /// <summary>The plan names a panelist the pool does not have, or with another role.</summary>
    UnknownPanelist,

    /// <summary>A panelist sits on the panel of their own child.</summary>
    OwnChild,

    /// <summary>A panelist sits on a panel at a school they do not serve, or on a day they are not available.</summary>
    NotAvailable,

    /// <summary>A panelist is on two panels in the same slot of the same day (or in two schools at the same time).</summary>
    DoubleBooked,

    /// <summary>A panelist sits on more panels in a day than their daily maximum.</summary>
    OverDailyMaximum,
}

/// <summary>One broken rule.</summary>
/// <param name="Kind">Which rule.</param>
/// <param name="Subject">The student or panelist id it concerns.</param>
/// <param name="Detail">What is wrong, with ids only.</param>
public sealed record SeasonViolation(SeasonViolationKind Kind, string Subject, string Detail);

/// <summary>
/// How evenly panel load is spread, over every panelist-day on which a panelist is available and one of their
/// schools holds defenses (days without a panel count as 0).
/// </summary>
/// <param name="PanelistDays">How many panelist-days were counted.</param>
/// <param name="MinPerDay">The fewest panels of a panelist in a day.</param>
/// <param name="MaxPerDay">The most panels of a panelist in a day.</param>
/// <param name="MeanPerDay">The mean panels per panelist-day.</param>
/// <param name="StandardDeviationPerDay">The standard deviation of panels per panelist-day.</param>
/// <param name="MinPerSeason">The fewest panels of a panelist who was available at all, over the season.</param>
/// <param name="MaxPerSeason">The most panels of a panelist over the season.</param>
public sealed record PanelLoadSpread(int PanelistDays, int MinPerDay, int MaxPerDay, double MeanPerDay, double StandardDeviationPerDay, int MinPerSeason, int MaxPerSeason);

/// <summary>What the checker found.</summary>
/// <param name="Violations">Every hard-rule violation.</param>
/// <param name="Load">How evenly panel load is spread.</param>
public sealed record SeasonCheck(ValueList<SeasonViolation> Violations, PanelLoadSpread Load)
{
    /// <summary>Whether the plan breaks no hard rule.</summary>
    public bool IsValid => Violations.Count == 0;
}

/// <summary>
/// Checks a season plan against its request, independently of the planner: it shares no code with it and
/// counts every broken hard rule, so a test or a district can trust a plan without trusting the planner.
/// </summary>
public static class SeasonChecker
{
    /// <summary>Checks <paramref name="plan"/> against <paramref name="request"/>.</summary>
    /// <param name="request">What was planned.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="panelSize">The smallest panel allowed (3 by default).</param>
    /// <returns>The violations and the load spread.</returns>
    public static SeasonCheck Check(SeasonRequest request, SeasonPlan plan, int panelSize = 3)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        var found = new List<SeasonViolation>();
        void Add(SeasonViolationKind kind, object subject, string detail) => found.Add(new(kind, subject.ToString()!, detail));

        var students = new Dictionary<StudentId, SeasonStudent>();
        foreach (var s in request.Students)
        {
            students.TryAdd(s.StudentId, s);
        }

        var calendars = new Dictionary<SchoolId, SchoolDefenseDays>();
        foreach (var c in request.Schools)
        {
            calendars.TryAdd(c.SchoolId, c);
        }

        var pool = new Dictionary<PersonId, SeasonPanelist>();
        foreach (var p in request.Panelists)
        {
            pool.TryAdd(p.PersonId, p);
        }

        // Every student exactly once.
        var seen = new Dictionary<StudentId, int>();
        foreach (var id in plan.Scheduled.Select(d => d.StudentId).Concat(plan.Unscheduled.Select(u => u.StudentId)))
        {
            seen[id] = seen.GetValueOrDefault(id) + 1;
        }

        foreach (var (id, count) in seen)
        {
            if (!students.ContainsKey(id))
            {
                Add(SeasonViolationKind.UnknownStudent, id, "The plan names a student the request does not have.");
            }
            else if (count > 1)
            {
                Add(SeasonViolationKind.StudentTwice, id, $"The student appears {count} times in the plan.");
            }
        }

        foreach (var id in students.Keys.Where(id => !seen.ContainsKey(id)))
        {
            Add(SeasonViolationKind.StudentMissing, id, "The student is neither scheduled nor listed as unscheduled.");
        }

        var rooms = new HashSet<(SchoolId, DateOnly, TimeOnly, string)>();
        var sittings = new Dictionary<(PersonId, DateOnly, TimeOnly), int>();
        var perDay = new Dictionary<(PersonId, DateOnly), int>();
        foreach (var d in plan.Scheduled)
        {
            if (students.TryGetValue(d.StudentId, out var student) && student.SchoolId != d.SchoolId)
            {
                Add(SeasonViolationKind.WrongSchool, d.StudentId, $"Scheduled at school {d.SchoolId}, enrolled at {student.SchoolId}.");
            }

            if (!calendars.TryGetValue(d.SchoolId, out var cal) || !cal.Days.Contains(d.Day) || !cal.Slots.Contains(d.Slot) || !cal.Rooms.Contains(d.Room))
            {
                Add(SeasonViolationKind.NotOffered, d.StudentId, $"School {d.SchoolId} offers no room '{d.Room}' at {d.Slot:HH\\:mm} on {d.Day:yyyy-MM-dd}.");
            }

            if (!rooms.Add((d.SchoolId, d.Day, d.Slot, d.Room)))
            {
                Add(SeasonViolationKind.RoomDoubleBooked, d.StudentId, $"Room '{d.Room}' of school {d.SchoolId} is taken at {d.Slot:HH\\:mm} on {d.Day:yyyy-MM-dd}.");
            }

            if (d.Panel.Count < panelSize)
            {
                Add(SeasonViolationKind.PanelTooSmall, d.StudentId, $"The panel has {d.Panel.Count} members; at least {panelSize} are required.");
            }

            if (!d.Panel.Any(p => p.Role == PanelRole.Educator))
            {
                Add(SeasonViolationKind.NoEducator, d.StudentId, "The panel has no educator.");
            }

            if (!d.Panel.Any(p => p.Role is PanelRole.CommunityPartner or PanelRole.FamilyMember))
            {
                Add(SeasonViolationKind.NoCommunityOrFamilyMember, d.StudentId, "The panel has no community partner or family member.");
            }

            foreach (var twice in d.Panel.GroupBy(p => p.PersonId).Where(g => g.Count() > 1))
            {
                Add(SeasonViolationKind.PanelistRepeated, twice.Key, $"On the panel of student {d.StudentId} {twice.Count()} times.");
            }

            foreach (var member in d.Panel.DistinctBy(p => p.PersonId))
            {
                if (!pool.TryGetValue(member.PersonId, out var p) || p.Role != member.Role)
                {
                    Add(SeasonViolationKind.UnknownPanelist, member.PersonId, $"Not in the pool as {member.Role}.");
                }
                else if (!p.Schools.Contains(d.SchoolId) || !p.AvailableDays.Contains(d.Day))
                {
                    Add(SeasonViolationKind.NotAvailable, member.PersonId, $"Does not serve school {d.SchoolId} on {d.Day:yyyy-MM-dd}.");
                }

                if (student is not null && student.Guardians.Contains(member.PersonId))
                {
                    Add(SeasonViolationKind.OwnChild, member.PersonId, $"On the panel of their own child {d.StudentId}.");
                }

                sittings[(member.PersonId, d.Day, d.Slot)] = sittings.GetValueOrDefault((member.PersonId, d.Day, d.Slot)) + 1;
                perDay[(member.PersonId, d.Day)] = perDay.GetValueOrDefault((member.PersonId, d.Day)) + 1;
            }
        }

        foreach (var ((person, day, slot), count) in sittings.Where(s => s.Value > 1))
        {
            Add(SeasonViolationKind.DoubleBooked, person, $"On {count} panels at {slot:HH\\:mm} on {day:yyyy-MM-dd}.");
        }

        foreach (var ((person, day), count) in perDay)
        {
            if (pool.TryGetValue(person, out var p) && count > p.MaxPerDay)
            {
                Add(SeasonViolationKind.OverDailyMaximum, person, $"On {count} panels on {day:yyyy-MM-dd}; the daily maximum is {p.MaxPerDay}.");
            }
        }

        return new SeasonCheck(found.ToValueList(), Spread(request, plan, perDay));
    }

    private static PanelLoadSpread Spread(SeasonRequest request, SeasonPlan plan, Dictionary<(PersonId, DateOnly), int> perDay)
    {
        var holding = plan.Scheduled.Select(d => (d.SchoolId, d.Day)).ToHashSet();
        var loads = new List<int>();
        var seasons = new List<int>();
        foreach (var p in request.Panelists.DistinctBy(p => p.PersonId))
        {
            var days = p.AvailableDays.Distinct().Where(day => p.Schools.Any(s => holding.Contains((s, day)))).ToList();
            if (days.Count == 0)
            {
                continue;
            }

            var season = 0;
            foreach (var day in days)
            {
                var load = perDay.GetValueOrDefault((p.PersonId, day));
                loads.Add(load);
                season += load;
            }

            seasons.Add(season);
        }

        if (loads.Count == 0)
        {
            return new PanelLoadSpread(0, 0, 0, 0, 0, 0, 0);
        }

        var mean = loads.Average();
        var sd = Math.Sqrt(loads.Sum(l => (l - mean) * (l - mean)) / loads.Count);
        return new PanelLoadSpread(loads.Count, loads.Min(), loads.Max(), mean, sd, seasons.Min(), seasons.Max());
    }
}
