using Backpack.Core.Milestones;
using Backpack.Core.Students;
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
/// The default policy, least privilege, and the only place access is decided: it works out how the actor stands
/// to what the request touches (<see cref="AccessRelation"/>: own work, own child, current or former roster,
/// same or other school, panel waiting/open/held/ended, district, unrelated) from the store and the district's
/// calendar, then looks the role, operation and relation up in <see cref="AccessTable"/>. An id that does not
/// exist gives the relation <see cref="AccessRelation.Unrelated"/>, so "not found" and "denied" look the same.
/// </summary>
public sealed class DefaultAccessPolicy : IAccessPolicy
{
    private readonly IBackpackStore _store;
    private readonly TimeProvider _clock;
    private readonly BackpackOptions _options;

    /// <summary>Creates the policy.</summary>
    /// <param name="store">The store, for rosters, enrollments, guardians and panels.</param>
    /// <param name="clock">The clock: "today" is the date in the district's time zone.</param>
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
        var relation = await RelationAsync(actor, request, cancellationToken).ConfigureAwait(false);
        var allowed = AccessTable.Allows(actor.Role, request.Operation, relation, _options.DistrictAdminsSeeStudentWork);
        return new AccessDecision(allowed, relation, $"{actor.Role} {request.Operation} with relation {relation}: {(allowed ? "allowed" : "denied")} by the access table", actor, request);
    }

    /// <summary>Works out how <paramref name="actor"/> stands to what <paramref name="request"/> touches.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="request">What they want.</param>
    /// <param name="ct">Cancels the look-ups.</param>
    /// <returns>The relation.</returns>
    internal async ValueTask<AccessRelation> RelationAsync(Actor actor, AccessRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (actor.Role is ActorRole.DistrictAdmin or ActorRole.RosterSync or ActorRole.CourseworkSync or ActorRole.Retention)
        {
            return AccessRelation.District;
        }

        switch (AccessTable.TargetOf(request.Operation))
        {
            case AccessTable.Target.District when request.Operation != BackpackOperation.ReadReports || request.School is null:
                return AccessRelation.District;
            case AccessTable.Target.School when actor.Role == ActorRole.Teacher && request.Operation == BackpackOperation.ListStudents:
                return await TeachesAtAsync(actor, request, ct).ConfigureAwait(false) ? AccessRelation.CurrentRoster : AccessRelation.Unrelated;
            case AccessTable.Target.District:
            case AccessTable.Target.School:
                return actor.Role == ActorRole.SchoolAdmin ? await SchoolRelationAsync(actor, request, ct).ConfigureAwait(false) : AccessRelation.Unrelated;
        }

        var today = _options.TodayAt(_clock.GetUtcNow());
        Milestone? milestone = null;
        var studentId = request.Student;
        if (request.Milestone is { } mid)
        {
            milestone = await _store.GetMilestoneAsync(mid, ct).ConfigureAwait(false);
            if (milestone is null || (studentId is { } named && named != milestone.StudentId))
            {
                return AccessRelation.Unrelated;
            }

            studentId = milestone.StudentId;
        }

        if (request.Artifact is { } aid)
        {
            var artifact = await _store.GetArtifactAsync(aid, ct).ConfigureAwait(false);
            if (artifact is null || (studentId is { } named && named != artifact.StudentId))
            {
                return AccessRelation.Unrelated;
            }

            studentId = artifact.StudentId;
        }

        switch (actor.Role)
        {
            case ActorRole.Student:
                return studentId is { } own && own == actor.StudentId && await _store.GetStudentAsync(own, ct).ConfigureAwait(false) is not null
                    ? AccessRelation.OwnWork
                    : AccessRelation.Unrelated;
            case ActorRole.Panelist:
                return milestone is not null && actor.PersonId is { } p && milestone.Panel.Any(x => x.PersonId == p)
                    ? PanelRelation(milestone)
                    : AccessRelation.Unrelated;
        }

        var student = studentId is { } sid ? await _store.GetStudentAsync(sid, ct).ConfigureAwait(false) : null;
        switch (actor.Role)
        {
            case ActorRole.Guardian:
                return student is not null && actor.PersonId is { } g && student.Guardians.Contains(g) ? AccessRelation.OwnChild : AccessRelation.Unrelated;
            case ActorRole.Teacher:
                return student is not null && actor.PersonId is { } t ? await TeacherRelationAsync(t, student, today, ct).ConfigureAwait(false) : AccessRelation.Unrelated;
            case ActorRole.SchoolAdmin:
                if (student is null)
                {
                    // A student not stored yet: the schools the change enrolls them in decide.
                    var newStudent = studentId is not null && request.Operation == BackpackOperation.SaveStudent && request.Schools.Count > 0;
                    return newStudent && request.Schools.All(actor.Schools.Contains) ? AccessRelation.SameSchool : AccessRelation.OtherSchool;
                }

                // A handoff is for a student who has left: the school they exited from is theirs too.
                var school = student.EnrollmentOn(today)?.SchoolId ?? (request.Operation == BackpackOperation.RunHandoff ? student.ExitedFrom()?.SchoolId : null);
                return school is { } at && actor.Schools.Contains(at) ? AccessRelation.SameSchool : AccessRelation.OtherSchool;
            default:
                return AccessRelation.Unrelated;
        }
    }

    private AccessRelation PanelRelation(Milestone milestone) => milestone.PanelAccessAt(_clock.GetUtcNow(), _options.PanelAccessDays) switch
    {
        PanelAccess.Waiting => AccessRelation.PanelWaiting,
        PanelAccess.Open => AccessRelation.PanelOpen,
        PanelAccess.Held => AccessRelation.PanelHeld,
        _ => AccessRelation.PanelEnded,
    };

    private async Task<AccessRelation> TeacherRelationAsync(PersonId teacher, Student student, DateOnly today, CancellationToken ct)
    {
        var year = _options.SchoolYearOf(today);
        var enrolledAt = student.EnrollmentOn(today)?.SchoolId;
        var former = false;
        foreach (var r in await _store.ListRostersForTeacherAsync(teacher, year, ct).ConfigureAwait(false))
        {
            if (r.Students.Contains(student.Id))
            {
                if (!r.IsArchived && enrolledAt == r.SchoolId)
                {
                    return AccessRelation.CurrentRoster;
                }

                former = true;
            }
            else if (r.Departures.Any(d => d.StudentId == student.Id))
            {
                former = true;
            }
        }

        if (!former)
        {
            foreach (var r in await _store.ListRostersForTeacherAsync(teacher, year.Previous, ct).ConfigureAwait(false))
            {
                former |= r.Students.Contains(student.Id) || r.Departures.Any(d => d.StudentId == student.Id);
            }
        }

        return former ? AccessRelation.FormerRoster : AccessRelation.Unrelated;
    }

    /// <summary>Whether a teacher has a current (this year's, not archived) roster at the request's school.</summary>
    private async Task<bool> TeachesAtAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        if (actor.PersonId is not { } teacher || request.School is not { } school)
        {
            return false;
        }

        var year = _options.SchoolYearOf(_options.TodayAt(_clock.GetUtcNow()));
        return (await _store.ListRostersForTeacherAsync(teacher, year, ct).ConfigureAwait(false)).Any(r => !r.IsArchived && r.SchoolId == school);
    }

    private async Task<AccessRelation> SchoolRelationAsync(Actor actor, AccessRequest request, CancellationToken ct)
    {
        if (request.School is not { } school || !actor.Schools.Contains(school))
        {
            return AccessRelation.OtherSchool;
        }

        if (request.Roster is { } rid && await _store.GetRosterAsync(rid, ct).ConfigureAwait(false) is { } stored && !actor.Schools.Contains(stored.SchoolId))
        {
            return AccessRelation.OtherSchool;
        }

        return AccessRelation.SameSchool;
    }
}
