using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Planning;

/// <summary>The shape of a synthetic defense season.</summary>
public sealed record SyntheticSeasonOptions
{
    /// <summary>Ready students (defenses).</summary>
    public int Students { get; init; } = 22_000;

    /// <summary>Schools; each holds defenses at one transition grade (5, 8, 12 in turn).</summary>
    public int Schools { get; init; } = 150;

    /// <summary>Defense days per school (consecutive weekdays).</summary>
    public int DaysPerSchool { get; init; } = 5;

    /// <summary>Slots per day, hourly from 08:00.</summary>
    public int SlotsPerDay { get; init; } = 8;

    /// <summary>Rooms per school.</summary>
    public int RoomsPerSchool { get; init; } = 6;

    /// <summary>Panel seats the pool offers per seat needed (above 1 leaves slack for availability and conflicts).</summary>
    public double PanelistSupply { get; init; } = 1.3;

    /// <summary>The share of panelists who serve a second school.</summary>
    public double SharedPanelists { get; init; } = 0.1;

    /// <summary>The first day of the season.</summary>
    public DateOnly SeasonStart { get; init; } = new(2026, 4, 6);

    /// <summary>The seed: the same options give the same season.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// A seeded synthetic defense season (schools with uneven sizes, calendars, a panelist pool with mixed roles,
/// availability and daily maxima, family members who are guardians of students at their school), for
/// demos, tests and benchmarks.
/// </summary>
public static class SyntheticSeason
{
    /// <summary>Generates a season request.</summary>
    /// <param name="options">Its shape; the defaults (22,000 defenses over 150 schools) when <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    public static SeasonRequest Generate(SyntheticSeasonOptions? options = null)
    {
        var o = options ?? new SyntheticSeasonOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(o.Students);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Schools, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.DaysPerSchool, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.SlotsPerDay, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.RoomsPerSchool, 1);
#pragma warning disable CA5394 // A seeded generator of test data, not security.
        var rng = new Random(o.Seed);
        Guid NextGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            rng.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        var weekdays = new List<DateOnly>();
        for (var d = o.SeasonStart; weekdays.Count < o.DaysPerSchool + 10; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                weekdays.Add(d);
            }
        }

        var slots = Enumerable.Range(0, o.SlotsPerDay).Select(i => new TimeOnly(8, 0).AddHours(i)).ToValueList();
        var rooms = Enumerable.Range(1, o.RoomsPerSchool).Select(i => $"Room {i}").ToValueList();
        var schoolIds = Enumerable.Range(0, o.Schools).Select(_ => SchoolId.From(NextGuid())).ToArray();
        var calendars = new SchoolDefenseDays[o.Schools];
        for (var s = 0; s < o.Schools; s++)
        {
            var first = rng.Next(0, 11);
            calendars[s] = new SchoolDefenseDays(schoolIds[s], weekdays.Skip(first).Take(o.DaysPerSchool).ToValueList(), slots, rooms);
        }

        // Uneven school sizes that add up to the number of students.
        var weights = Enumerable.Range(0, o.Schools).Select(_ => 0.6 + (0.8 * rng.NextDouble())).ToArray();
        var total = weights.Sum();
        var sizes = weights.Select(w => (int)Math.Floor(o.Students * w / total)).ToArray();
        for (var i = 0; sizes.Sum() < o.Students; i = (i + 1) % o.Schools)
        {
            sizes[i]++;
        }

        var students = new List<SeasonStudent>[o.Schools];
        for (var s = 0; s < o.Schools; s++)
        {
            var grade = GradeLevel.Grade(s % 3 == 0 ? 5 : s % 3 == 1 ? 8 : 12);
            students[s] = [];
            for (var i = 0; i < sizes[s]; i++)
            {
                var guardians = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => PersonId.From(NextGuid())).ToValueList();
                students[s].Add(new SeasonStudent(StudentId.From(NextGuid()), schoolIds[s], grade, guardians));
            }
        }

        var panelists = new List<SeasonPanelist>();
        for (var s = 0; s < o.Schools; s++)
        {
            var seatsPerDay = Math.Ceiling(sizes[s] / (double)o.DaysPerSchool) * 3;
            var count = Math.Max(8, (int)Math.Ceiling(seatsPerDay * o.PanelistSupply / (Math.Min(4.5, o.SlotsPerDay) * 0.8)));
            for (var i = 0; i < count; i++)
            {
                var roll = rng.NextDouble();
                var role = roll < 0.45 ? PanelRole.Educator : roll < 0.75 ? PanelRole.CommunityPartner : PanelRole.FamilyMember;
                var person = PersonId.From(NextGuid());
                var schools = new List<SchoolId> { schoolIds[s] };
                var days = calendars[s].Days.AsEnumerable();
                if (o.Schools > 1 && rng.NextDouble() < o.SharedPanelists)
                {
                    var other = (s + 1) % o.Schools;
                    schools.Add(schoolIds[other]);
                    days = days.Union(calendars[other].Days);
                }

                var available = days.Where(_ => rng.NextDouble() < 0.8).Order().ToValueList();
                if (role == PanelRole.FamilyMember && students[s].Count > 0)
                {
                    // A parent of a student at the school: never on that student's panel.
                    var child = rng.Next(students[s].Count);
                    students[s][child] = students[s][child] with { Guardians = students[s][child].Guardians.Add(person) };
                }

                panelists.Add(new SeasonPanelist(person, role, schools.ToValueList(), available, rng.Next(3, 7)));
            }
        }
#pragma warning restore CA5394

        return new SeasonRequest(students.SelectMany(x => x).ToValueList(), calendars.ToValueList(), panelists.ToValueList());
    }
}
