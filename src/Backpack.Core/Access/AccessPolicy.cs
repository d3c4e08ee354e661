using Backpack.Core.DependencyInjection;
using Backpack.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Access;

/// <summary>The one access policy every service operation consults.</summary>
public interface IAccessPolicy
{
    /// <summary>Decides whether <paramref name="actor"/> may do <paramref name="request"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="request">What they want.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The decision, with the rule that decided.</returns>
    ValueTask<AccessDecision> DecideAsync(Actor actor, AccessRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// The default policy, least privilege: a student works on their own backpack; a teacher sees and scores
/// students on their current (this school year's, not archived) rosters; a school administrator sees the
/// students enrolled in their schools today and those schools' aggregates; a district administrator sees
/// aggregates and manages frameworks and rosters, but not individual work unless the district allows it;
/// a panelist sees and scores only the showcase of a defense they sit on, and only until it closes; a
/// guardian sees only their own child's showcase.
/// </summary>
public sealed class DefaultAccessPolicy : IAccessPolicy
{
    private readonly IBackpackStore _store;
    private readonly TimeProvider _clock;
    private readonly BackpackOptions _options;

    /// <summary>Creates the policy.</summary>
    /// <param name="store">The store, for rosters, enrollments, guardians and panels.</param>
    /// <param name="clock">The clock: "current" means today in the district's calendar.</param>
    /// <param name="options">The district's settings.</param>
    public DefaultAccessPolicy(IBackpackStore store, TimeProvider clock, IOptions<BackpackOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _clock = clock;
        _options = options.Value;
    }

    /// <inheritdoc />
    public async ValueTask<AccessDecision> DecideAsync(Actor actor, AccessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var (allowed, reason) = actor.Role switch
        {
            ActorRole.System => (true, "system: background work"),
            ActorRole.Student => Student(actor, request),
            ActorRole.Teacher => await TeacherAsync(actor, request, cancellationToken).ConfigureAwait(false),
            ActorRole.SchoolAdmin => await SchoolAdminAsync(actor, request, cancellationToken).ConfigureAwait(false),
            ActorRole.DistrictAdmin => DistrictAdmin(request),
            ActorRole.Panelist => await PanelistAsync(actor, request, cancellationToken).ConfigureAwait(false),
            ActorRole.Guardian => await GuardianAsync(actor, request, cancellationToken).ConfigureAwait(false),
            _ => (false, $"unknown role {actor.Role}"),
        };
        return new AccessDecision(allowed, $"{actor.Role} {request.Right}: {reason}", actor, request);
    }

    private static (bool, string) Student(Actor actor, AccessRequest request)
    {
        if (request.Right is not (AccessRight.ReadStudentWork or AccessRight.WriteStudentWork or AccessRight.ReadShowcase))
        {
            return (false, "students work on their own backpack only");
        }

        return request.Student is { } s && s == actor.StudentId
            ? (true, "own backpack")
            : (false, "not the student's own backpack");
    }

    private async Task<(bool, string)> TeacherAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        if (request.Right is not (AccessRight.ReadStudentWork or AccessRight.WriteStudentWork or AccessRight.ScoreStudentWork or AccessRight.ReadShowcase or AccessRight.ManageMilestones))
        {
            return (false, "teachers work with the students on their rosters only");
        }

        if (request.Student is not { } student || actor.PersonId is not { } teacher)
        {
            return (false, "no student named");
        }

        var year = _options.SchoolYearOf(Today);
        var rosters = await _store.ListRostersForTeacherAsync(teacher, year, ct).ConfigureAwait(false);
        foreach (var r in rosters)
        {
            if (!r.IsArchived && r.Students.Contains(student))
            {
                return (true, $"student on current roster {r.Id}");
            }
        }

        return (false, $"student not on any current {year} roster of the teacher");
    }

    private async Task<(bool, string)> SchoolAdminAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        switch (request.Right)
        {
            case AccessRight.ReadAggregates or AccessRight.ManageRosters:
                return request.School is { } school && actor.Schools.Contains(school)
                    ? (true, $"own school {school}")
                    : (false, "only the administrator's own schools");
            case AccessRight.ReadStudentWork or AccessRight.ReadShowcase or AccessRight.ManageMilestones:
                if (request.Student is not { } id)
                {
                    return (false, "no student named");
                }

                var student = await _store.GetStudentAsync(id, ct).ConfigureAwait(false);
                var enrollment = student?.EnrollmentOn(Today);
                return enrollment is not null && actor.Schools.Contains(enrollment.SchoolId)
                    ? (true, $"student enrolled in own school {enrollment.SchoolId}")
                    : (false, "student not enrolled today in the administrator's schools");
            default:
                return (false, "not a school administrator's right");
        }
    }

    private (bool, string) DistrictAdmin(AccessRequest request) => request.Right switch
    {
        AccessRight.ReadAggregates or AccessRight.ManageFrameworks or AccessRight.ManageRosters => (true, "district administration"),
        AccessRight.ReadStudentWork or AccessRight.ReadShowcase when _options.DistrictAdminsSeeStudentWork => (true, "district allows administrators to read student work"),
        _ => (false, "district administrators see aggregates, not individual work"),
    };

    private async Task<(bool, string)> PanelistAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        if (request.Right is not (AccessRight.ReadShowcase or AccessRight.ScoreStudentWork))
        {
            return (false, "panelists see and score a defense's showcase only");
        }

        if (request.Milestone is not { } id || actor.PersonId is not { } person)
        {
            return (false, "no milestone named");
        }

        var milestone = await _store.GetMilestoneAsync(id, ct).ConfigureAwait(false);
        if (milestone is null || !milestone.Panel.Any(p => p.PersonId == person))
        {
            return (false, $"not on the panel of milestone {id}");
        }

        if (request.Student is { } s && s != milestone.StudentId)
        {
            return (false, $"milestone {id} is another student's");
        }

        return milestone.IsOpenToPanel
            ? (true, $"on the panel of open milestone {id}")
            : (false, $"milestone {id} is {milestone.Status}: panel access has ended");
    }

    private async Task<(bool, string)> GuardianAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        if (request.Right != AccessRight.ReadShowcase || request.Student is not { } id || actor.PersonId is not { } person)
        {
            return (false, "guardians see their own child's showcase only");
        }

        var student = await _store.GetStudentAsync(id, ct).ConfigureAwait(false);
        return student is not null && student.Guardians.Contains(person)
            ? (true, "guardian of the student")
            : (false, "not a guardian of the student");
    }

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
}
