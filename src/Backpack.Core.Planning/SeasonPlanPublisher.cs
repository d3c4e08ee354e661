using Backpack.Core.Access;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Planning;

/// <summary>A defense of the plan that became a milestone with its panel.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="MilestoneId">The milestone.</param>
public sealed record PublishedDefense(StudentId StudentId, MilestoneId MilestoneId);

/// <summary>A defense of the plan the services refused.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="MilestoneId">The milestone, when it was scheduled but its panel was refused.</param>
/// <param name="ErrorCode">The refusal's <see cref="IBackpackError.ErrorCode"/>.</param>
public sealed record PublishFailure(StudentId StudentId, MilestoneId? MilestoneId, string ErrorCode);

/// <summary>What publishing a plan did.</summary>
/// <param name="Published">The milestones scheduled with their panels.</param>
/// <param name="Failed">The defenses the services refused (access, validation), each with its error code.</param>
public sealed record SeasonPublication(ValueList<PublishedDefense> Published, ValueList<PublishFailure> Failed);

/// <summary>
/// Turns a season plan into Defense of Learning milestones and panels through <see cref="MilestoneService"/>:
/// every call goes through the access policy as the given actor (a school admin of the school, or a teacher
/// of the student's current roster, as the README's access table says), so a plan gives nobody more than they
/// could do by hand. Publish a district's season school by school (<see cref="SeasonPlan.ForSchool"/>), each
/// part as an admin of that school.
/// </summary>
public sealed class SeasonPlanPublisher
{
    private readonly MilestoneService _milestones;
    private readonly TimeZoneInfo _zone;

    /// <summary>Creates a publisher.</summary>
    /// <param name="milestones">The milestone service of the current scope.</param>
    /// <param name="options">The district's options: slot times are in its time zone.</param>
    public SeasonPlanPublisher(MilestoneService milestones, IOptions<BackpackOptions> options)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        ArgumentNullException.ThrowIfNull(options);
        _milestones = milestones;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    }

    /// <summary>The instant a slot starts, in the district's time zone.</summary>
    /// <param name="day">The day.</param>
    /// <param name="slot">The slot's local start time.</param>
    /// <returns>The instant.</returns>
    public DateTimeOffset StartOf(DateOnly day, TimeOnly slot)
    {
        var local = day.ToDateTime(slot, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    /// <summary>
    /// Schedules a <see cref="MilestoneKind.DefenseOfLearning"/> for every scheduled defense of
    /// <paramref name="plan"/> and sets its panel, as <paramref name="actor"/>. A defense the services refuse
    /// (a Backpack error: access denied, validation, not found) is reported and the others go on.
    /// </summary>
    /// <param name="actor">Who schedules and sets panels (a school admin of the school; see the README's access table).</param>
    /// <param name="plan">The plan.</param>
    /// <param name="rubric">The rubric version the panels score with.</param>
    /// <param name="cancellationToken">Cancels between defenses.</param>
    /// <returns>What was published and what was refused.</returns>
    public async Task<SeasonPublication> PublishAsync(Actor actor, SeasonPlan plan, RubricRef? rubric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(plan);
        var published = new List<PublishedDefense>();
        var failed = new List<PublishFailure>();
        foreach (var defense in plan.Scheduled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MilestoneId? id = null;
            try
            {
                var m = await _milestones.ScheduleAsync(actor, defense.StudentId, MilestoneKind.DefenseOfLearning, StartOf(defense.Day, defense.Slot), rubric, cancellationToken).ConfigureAwait(false);
                id = m.Id;
                await _milestones.SetPanelAsync(actor, m.Id, defense.Panel, cancellationToken).ConfigureAwait(false);
                published.Add(new PublishedDefense(defense.StudentId, m.Id));
            }
            catch (Exception e) when (e is IBackpackError error && !error.IsTransient)
            {
                failed.Add(new PublishFailure(defense.StudentId, id, error.ErrorCode));
            }
        }

        return new SeasonPublication(published.ToValueList(), failed.ToValueList());
    }
}
