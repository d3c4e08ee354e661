using System.Globalization;
using Backpack.Core.Milestones;

namespace Backpack.Core.Planning;

/// <summary>
/// Plans a defense season: every ready student at a transition grade gets a day, a slot, a room and a panel
/// of at least <see cref="SeasonPlannerOptions.PanelSize"/> with an educator and a community partner or
/// family member; no panelist sits on their own child's panel, is in two places at once or exceeds their
/// daily maximum, and panel load is spread evenly. What cannot be placed is listed with the reason.
/// </summary>
/// <remarks>
/// The season is decomposed into school days. Panelists who serve several schools are given, for each day,
/// to the one of their schools that needs them most, so school days share nobody and are planned
/// independently and in parallel. Students are spread over a school's days by what each day's rooms and
/// panelists can take, and over a day's slots evenly. A greedy construction staffs each school day,
/// least-loaded panelist first; a school day it leaves incomplete or unbalanced (loads more than one apart)
/// goes to Google OR-Tools' CP-SAT solver, with the greedy answer as a hint and a time limit, which
/// maximizes the defenses staffed and then minimizes the spread of panel loads. The planner reads no clock.
/// </remarks>
public sealed class SeasonPlanner
{
    private readonly SeasonPlannerOptions _options;

    /// <summary>Creates a planner.</summary>
    /// <param name="options">How it works; the defaults when <see langword="null"/>.</param>
    public SeasonPlanner(SeasonPlannerOptions? options = null) => _options = options ?? new SeasonPlannerOptions();

    /// <summary>The options the planner works with.</summary>
    public SeasonPlannerOptions Options => _options;

    /// <summary>Plans the season.</summary>
    /// <param name="request">Students, school calendars and panelists.</param>
    /// <param name="cancellationToken">Cancels planning between school days.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="BackpackValidationException">The request or the options are invalid; every problem names its field.</exception>
    public SeasonPlan Plan(SeasonRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        SeasonValidation.Validate(request, _options);
        var k = _options.PanelSize;
        var unscheduled = new List<UnscheduledDefense>();

        var calendars = new Dictionary<SchoolId, SchoolDefenseDays>();
        foreach (var c in request.Schools)
        {
            if (c.Days.Count > 0 && c.Slots.Count > 0 && c.Rooms.Count > 0)
            {
                calendars[c.SchoolId] = c;
            }
        }

        var studentsBySchool = new Dictionary<SchoolId, List<int>>();
        for (var i = 0; i < request.Students.Count; i++)
        {
            var s = request.Students[i];
            if (!calendars.ContainsKey(s.SchoolId))
            {
                unscheduled.Add(new(s.StudentId, s.SchoolId, UnscheduledReason.NoDefenseDays, $"School {s.SchoolId} has no defense days, slots or rooms."));
                continue;
            }

            if (!studentsBySchool.TryGetValue(s.SchoolId, out var list))
            {
                studentsBySchool[s.SchoolId] = list = [];
            }

            list.Add(i);
        }

        // School days, and the panelists on duty at each: a panelist serves one school a day.
        var schoolDays = new Dictionary<(SchoolId, DateOnly), SchoolDay>();
        foreach (var (school, students) in studentsBySchool)
        {
            var cal = calendars[school];
            var perDay = (students.Count + cal.Days.Count - 1) / cal.Days.Count;
            foreach (var day in cal.Days.Order())
            {
                schoolDays[(school, day)] = new SchoolDay(school, day, cal, perDay * k);
            }
        }

        var multi = new List<(int Panelist, DateOnly Day, List<SchoolDay> Options)>();
        for (var p = 0; p < request.Panelists.Count; p++)
        {
            var panelist = request.Panelists[p];
            foreach (var day in panelist.AvailableDays.Distinct())
            {
                var options = panelist.Schools.Distinct().Select(s => schoolDays.GetValueOrDefault((s, day))).OfType<SchoolDay>().ToList();
                if (options.Count == 1)
                {
                    options[0].AddOnDuty(p, panelist);
                }
                else if (options.Count > 1)
                {
                    multi.Add((p, day, options));
                }
            }
        }

        foreach (var (p, _, options) in multi)
        {
            var panelist = request.Panelists[p];
            var neediest = options.MaxBy(o => o.Need(panelist.Role))!;
            neediest.AddOnDuty(p, panelist);
        }

        // Students over their school's days, by what each day can take.
        foreach (var (school, students) in studentsBySchool)
        {
            var days = calendars[school].Days.Order().Select(d => schoolDays[(school, d)]).ToList();
            foreach (var sd in days)
            {
                sd.ComputeCapacity(request.Panelists, k);
            }

            foreach (var i in students)
            {
                var open = days.Where(d => d.Students.Count < d.Capacity).MinBy(d => (d.Students.Count + 1) / (double)d.Capacity);
                if (open is not null)
                {
                    open.Students.Add(i);
                    continue;
                }

                var s = request.Students[i];
                var roomBound = days.All(d => d.Capacity >= d.RoomCapacity);
                unscheduled.Add(roomBound
                    ? new(s.StudentId, school, UnscheduledReason.NoRoomOrSlot, $"All {days.Sum(d => d.RoomCapacity)} room slots of school {school}'s {days.Count} defense days are taken.")
                    : new(s.StudentId, school, UnscheduledReason.NotEnoughPanelists, $"The panelists available at school {school} can staff {days.Sum(d => d.Capacity)} defenses on its {days.Count} defense days, and that many are planned."));
            }
        }

        var work = schoolDays.Values.Where(d => d.Students.Count > 0).OrderBy(d => d.School).ThenBy(d => d.Day).ToList();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism > 0 ? _options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        var problems = new DayProblem[work.Count];
        Parallel.For(0, work.Count, parallel, i =>
        {
            problems[i] = new DayProblem(work[i], request, k);
            problems[i].Greedy();
        });

        var needSolver = _options.UseSolver ? problems.Where(p => !p.IsComplete || !p.IsBalanced).ToList() : [];
        var improved = 0;
        if (needSolver.Count > 0)
        {
            var share = _options.SolverTimeTotal * parallel.MaxDegreeOfParallelism / needSolver.Count;
            var limit = share < _options.SolverTimePerDay ? share : _options.SolverTimePerDay;
            Parallel.ForEach(needSolver, parallel, p =>
            {
                if (p.Solve(limit))
                {
                    Interlocked.Increment(ref improved);
                }
            });
        }

        var scheduled = new List<PlannedDefense>();
        foreach (var p in problems)
        {
            p.Repair();
            p.Emit(scheduled, unscheduled);
        }

        return new SeasonPlan(
            scheduled.OrderBy(d => d.SchoolId).ThenBy(d => d.Day).ThenBy(d => d.Slot).ThenBy(d => d.Room, StringComparer.Ordinal).ToValueList(),
            unscheduled.OrderBy(u => u.SchoolId).ThenBy(u => u.StudentId).ToValueList(),
            new SeasonPlanStatistics(problems.Length, needSolver.Count, improved));
    }

    internal static string Describe(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One school on one defense day: its calendar, the panelists on duty and the students placed there.</summary>
internal sealed class SchoolDay(SchoolId school, DateOnly day, SchoolDefenseDays calendar, int demandSeats)
{
    public SchoolId School { get; } = school;

    public DateOnly Day { get; } = day;

    public SchoolDefenseDays Calendar { get; } = calendar;

    public int DemandSeats { get; } = demandSeats;

    public int SupplySeats { get; private set; }

    public int EducatorSeats { get; private set; }

    public List<int> OnDuty { get; } = [];

    public List<int> Students { get; } = [];

    public int Capacity { get; private set; }

    public int RoomCapacity => Calendar.Slots.Count * Calendar.Rooms.Count;

    /// <summary>The most defenses one slot can hold.</summary>
    public int SlotCapacity { get; private set; }

    public void AddOnDuty(int index, SeasonPanelist panelist)
    {
        OnDuty.Add(index);
        var seats = Math.Min(panelist.MaxPerDay, Calendar.Slots.Count);
        SupplySeats += seats;
        EducatorSeats += panelist.Role == PanelRole.Educator ? seats : 0;
    }

    /// <summary>How much this day still needs a panelist of <paramref name="role"/>: the shortfall of seats overall and of the role's seats (each panel needs one educator and one other member).</summary>
    public double Need(PanelRole role)
    {
        var defenses = Math.Max(1, DemandSeats / 3.0);
        var roleSeats = role == PanelRole.Educator ? EducatorSeats : SupplySeats - EducatorSeats;
        return ((DemandSeats - SupplySeats) / Math.Max(1.0, DemandSeats)) + ((defenses - roleSeats) / defenses);
    }

    /// <summary>How many defenses the day can hold: bounded by rooms, by people per slot, and by seats over the day.</summary>
    public void ComputeCapacity(IReadOnlyList<SeasonPanelist> panelists, int panelSize)
    {
        var slots = Calendar.Slots.Count;
        int people = 0, educators = 0, others = 0, seats = 0, educatorSeats = 0, otherSeats = 0;
        foreach (var p in OnDuty)
        {
            var panelist = panelists[p];
            var s = Math.Min(panelist.MaxPerDay, slots);
            people++;
            seats += s;
            if (panelist.Role == PanelRole.Educator)
            {
                educators++;
                educatorSeats += s;
            }
            else
            {
                others++;
                otherSeats += s;
            }
        }

        SlotCapacity = Math.Min(Calendar.Rooms.Count, Math.Min(people / panelSize, Math.Min(educators, others)));
        Capacity = Math.Min(slots * SlotCapacity, Math.Min(seats / panelSize, Math.Min(educatorSeats, otherSeats)));
    }
}
