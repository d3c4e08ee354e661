using System.Globalization;
using Backpack.Core.Milestones;
using Google.OrTools.Sat;

namespace Backpack.Core.Planning;

/// <summary>
/// Staffs one school day: defenses are placed in slots and rooms, then panels are built greedily (least-loaded
/// first) and, where that is incomplete or unbalanced, by CP-SAT.
/// </summary>
internal sealed class DayProblem
{
    private readonly SchoolDay _day;
    private readonly SeasonRequest _request;
    private readonly int _k;
    private readonly int _n;
    private readonly int _m;
    private readonly int _slots;
    private readonly int _rooms;
    private readonly PanelRole[] _role;
    private readonly int[] _max;
    private readonly bool[,] _eligible;
    private readonly int[] _slot;
    private readonly int[] _room;
    private readonly int[]?[] _panel;
    private readonly bool _educatorsScarce;
    private int[] _loads;
    private bool[,] _busy;

    public DayProblem(SchoolDay day, SeasonRequest request, int panelSize)
    {
        _day = day;
        _request = request;
        _k = panelSize;
        _n = day.Students.Count;
        _m = day.OnDuty.Count;
        _slots = day.Calendar.Slots.Count;
        _rooms = day.Calendar.Rooms.Count;
        _role = day.OnDuty.Select(p => request.Panelists[p].Role).ToArray();
        _max = day.OnDuty.Select(p => Math.Min(request.Panelists[p].MaxPerDay, _slots)).ToArray();
        _eligible = new bool[_n, _m];
        for (var d = 0; d < _n; d++)
        {
            var guardians = request.Students[day.Students[d]].Guardians;
            for (var j = 0; j < _m; j++)
            {
                _eligible[d, j] = !guardians.Contains(request.Panelists[day.OnDuty[j]].PersonId);
            }
        }

        // Evenly over the slots; the capacity check placed at most Slots x SlotCapacity defenses here.
        _slot = new int[_n];
        _room = new int[_n];
        for (var d = 0; d < _n; d++)
        {
            _slot[d] = d % _slots;
            _room[d] = d / _slots;
        }

        _panel = new int[_n][];
        var educatorSeats = 0;
        var otherSeats = 0;
        for (var j = 0; j < _m; j++)
        {
            if (_role[j] == PanelRole.Educator)
            {
                educatorSeats += _max[j];
            }
            else
            {
                otherSeats += _max[j];
            }
        }

        _educatorsScarce = educatorSeats < otherSeats;
        _loads = new int[_m];
        _busy = new bool[_slots, _m];
    }

    public bool IsComplete => _panel.All(p => p is not null);

    /// <summary>Whether loads are at most one apart, not counting panelists already at their daily maximum.</summary>
    public bool IsBalanced
    {
        get
        {
            var max = 0;
            var minFree = int.MaxValue;
            for (var j = 0; j < _m; j++)
            {
                max = Math.Max(max, _loads[j]);
                if (_loads[j] < _max[j])
                {
                    minFree = Math.Min(minFree, _loads[j]);
                }
            }

            return minFree == int.MaxValue || max - minFree <= 1;
        }
    }

    public void Greedy()
    {
        for (var t = 0; t < _slots; t++)
        {
            for (var d = t; d < _n; d += _slots)
            {
                _panel[d] = Build(d, t);
            }
        }
    }

    /// <summary>Runs CP-SAT from the greedy answer; keeps the solver's answer when it is better.</summary>
    /// <param name="limit">The solver's time limit.</param>
    /// <returns>Whether the solver's answer was kept.</returns>
    public bool Solve(TimeSpan limit)
    {
        var model = new CpModel();
        var x = new BoolVar?[_n, _m];
        var staffed = new BoolVar[_n];
        var perPanelist = new List<BoolVar>[_m];
        var perSlot = new List<BoolVar>[_slots, _m];
        for (var j = 0; j < _m; j++)
        {
            perPanelist[j] = [];
            for (var t = 0; t < _slots; t++)
            {
                perSlot[t, j] = [];
            }
        }

        for (var d = 0; d < _n; d++)
        {
            staffed[d] = model.NewBoolVar($"s{d}");
            var all = new List<BoolVar>();
            var educators = new List<BoolVar>();
            var others = new List<BoolVar>();
            for (var j = 0; j < _m; j++)
            {
                if (!_eligible[d, j])
                {
                    continue;
                }

                var v = model.NewBoolVar($"x{d}_{j}");
                x[d, j] = v;
                all.Add(v);
                (_role[j] == PanelRole.Educator ? educators : others).Add(v);
                perPanelist[j].Add(v);
                perSlot[_slot[d], j].Add(v);
            }

            model.Add(LinearExpr.Sum(all) == _k * staffed[d]);
            model.Add(LinearExpr.Sum(educators) >= staffed[d]);
            model.Add(LinearExpr.Sum(others) >= staffed[d]);
        }

        var maxLoad = model.NewIntVar(0, _slots, "max");
        var minLoad = model.NewIntVar(0, _slots, "min");
        for (var j = 0; j < _m; j++)
        {
            for (var t = 0; t < _slots; t++)
            {
                if (perSlot[t, j].Count > 1)
                {
                    model.AddAtMostOne(perSlot[t, j]);
                }
            }

            var load = LinearExpr.Sum(perPanelist[j]);
            model.Add(load <= _max[j]);
            model.Add(maxLoad >= load);
            model.Add(minLoad <= load);
        }

        var weight = _slots + 1L;
        model.Maximize((weight * LinearExpr.Sum(staffed)) - maxLoad + minLoad);
        for (var d = 0; d < _n; d++)
        {
            model.AddHint(staffed[d], _panel[d] is null ? 0 : 1);
            for (var j = 0; j < _m; j++)
            {
                if (x[d, j] is { } v)
                {
                    model.AddHint(v, _panel[d]?.Contains(j) == true ? 1 : 0);
                }
            }
        }

        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture, $"num_workers:1 random_seed:7 max_time_in_seconds:{limit.TotalSeconds:0.###}"),
        };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return false;
        }

        var before = Score(_panel);
        var panels = new int[_n][];
        for (var d = 0; d < _n; d++)
        {
            if (!solver.BooleanValue(staffed[d]))
            {
                continue;
            }

            var chosen = new List<int>(_k);
            for (var j = 0; j < _m; j++)
            {
                if (x[d, j] is { } v && solver.BooleanValue(v))
                {
                    chosen.Add(j);
                }
            }

            panels[d] = [.. chosen];
        }

        if (Score(panels) <= before)
        {
            return false;
        }

        Array.Copy(panels, _panel, _n);
        Rebuild();
        return true;
    }

    /// <summary>Places each defense still without a panel in another slot with a free room and free panelists, if there is one.</summary>
    public void Repair()
    {
        for (var d = 0; d < _n; d++)
        {
            if (_panel[d] is not null)
            {
                continue;
            }

            for (var t = 0; t < _slots && _panel[d] is null; t++)
            {
                var used = new bool[_rooms];
                for (var e = 0; e < _n; e++)
                {
                    if (e != d && _panel[e] is not null && _slot[e] == t)
                    {
                        used[_room[e]] = true;
                    }
                }

                var free = Array.IndexOf(used, false);
                if (free < 0)
                {
                    continue;
                }

                if (Build(d, t) is { } panel)
                {
                    _panel[d] = panel;
                    _slot[d] = t;
                    _room[d] = free;
                }
            }
        }
    }

    public void Emit(List<PlannedDefense> scheduled, List<UnscheduledDefense> unscheduled)
    {
        var slots = _day.Calendar.Slots.Order().ToArray();
        for (var d = 0; d < _n; d++)
        {
            var student = _request.Students[_day.Students[d]];
            if (_panel[d] is { } panel)
            {
                var members = panel.Select(j => new Panelist(_request.Panelists[_day.OnDuty[j]].PersonId, _role[j]))
                    .OrderBy(p => p.Role).ThenBy(p => p.PersonId).ToValueList();
                scheduled.Add(new PlannedDefense(student.StudentId, _day.School, _day.Day, slots[_slot[d]], _day.Calendar.Rooms[_room[d]], members));
            }
            else
            {
                unscheduled.Add(new UnscheduledDefense(student.StudentId, _day.School, UnscheduledReason.NotEnoughPanelists,
                    $"No panel of {_k} with an educator and a community partner or family member could be formed at school {_day.School} on {SeasonPlanner.Describe(_day.Day)} from the {_m} panelists on duty (availability, daily maximum, own-child conflicts)."));
            }
        }
    }

    private long Score(int[]?[] panels)
    {
        var loads = new int[_m];
        var staffed = 0;
        foreach (var p in panels)
        {
            if (p is null)
            {
                continue;
            }

            staffed++;
            foreach (var j in p)
            {
                loads[j]++;
            }
        }

        var spread = _m == 0 ? 0 : loads.Max() - loads.Min();
        return (staffed * (_slots + 1L)) - spread;
    }

    private void Rebuild()
    {
        _loads = new int[_m];
        _busy = new bool[_slots, _m];
        for (var d = 0; d < _n; d++)
        {
            foreach (var j in _panel[d] ?? [])
            {
                _loads[j]++;
                _busy[_slot[d], j] = true;
            }
        }
    }

    private int[]? Build(int d, int t)
    {
        var chosen = new List<int>(_k);
        if (Pick(d, t, chosen, PanelRole.Educator) is not { } educator)
        {
            return null;
        }

        chosen.Add(educator);
        if (Pick(d, t, chosen, null) is not { } other)
        {
            return null;
        }

        chosen.Add(other);
        while (chosen.Count < _k)
        {
            if (Pick(d, t, chosen, PanelRole.FamilyMember, anyRole: true) is not { } next)
            {
                return null;
            }

            chosen.Add(next);
        }

        foreach (var j in chosen)
        {
            _loads[j]++;
            _busy[t, j] = true;
        }

        return [.. chosen];
    }

    /// <summary>The least-loaded free panelist: an educator, a community partner or family member (<paramref name="role"/> null), or anyone.</summary>
    private int? Pick(int d, int t, List<int> chosen, PanelRole? role, bool anyRole = false)
    {
        int? best = null;
        (int Load, int Scarce, int Free, int Turn) bestKey = default;
        for (var j = 0; j < _m; j++)
        {
            if (_busy[t, j] || _loads[j] >= _max[j] || !_eligible[d, j] || chosen.Contains(j))
            {
                continue;
            }

            var isEducator = _role[j] == PanelRole.Educator;
            if (!anyRole && (role == PanelRole.Educator) != isEducator)
            {
                continue;
            }

            var key = (_loads[j], anyRole && isEducator == _educatorsScarce ? 1 : 0, -(_max[j] - _loads[j]), (j + (d * 7)) % Math.Max(1, _m));
            if (best is null || key.CompareTo(bestKey) < 0)
            {
                best = j;
                bestKey = key;
            }
        }

        return best;
    }
}
