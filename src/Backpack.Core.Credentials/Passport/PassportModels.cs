using System.Text.Json.Nodes;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;

namespace Backpack.Core.Credentials.Passport;

/// <summary>The district as the issuer of passports: its name, its signing key (a did:key) and, optionally, its web site.</summary>
/// <param name="Name">The district's name, shown as the issuer profile's name.</param>
/// <param name="Key">The signing key; its <see cref="IIssuerKey.IssuerId"/> is the issuer profile's id.</param>
public sealed record PassportIssuer(string Name, IIssuerKey Key)
{
    /// <summary>The district's web site, if it wants it in the issuer profile.</summary>
    public Uri? Url { get; init; }

    /// <summary>The issuer profile (OB 3.0 <c>Profile</c>) as JSON.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToProfile()
    {
        var profile = new JsonObject
        {
            ["id"] = Key.IssuerId,
            ["type"] = new JsonArray("Profile"),
            ["name"] = Name,
        };
        if (Url is not null)
        {
            profile["url"] = Url.AbsoluteUri;
        }

        return profile;
    }
}

/// <summary>How the student is named as the credential subject.</summary>
public enum PassportSubjectIdentity
{
    /// <summary>By a stable <c>urn:uuid</c> of the student (the default): nothing personal in clear.</summary>
    Uuid,

    /// <summary>By an <c>IdentityObject</c> holding the salted SHA-256 hash of the district's student number (<c>sisSourcedId</c>).</summary>
    HashedStudentNumber,

    /// <summary>By an <c>IdentityObject</c> holding the salted SHA-256 hash of the student's school email.</summary>
    HashedEmail,

    /// <summary>By an <c>IdentityObject</c> holding the student's school email in clear: only when the district opts in.</summary>
    EmailInClear,
}

/// <summary>What a district decides about its passports.</summary>
public sealed record PassportOptions
{
    /// <summary>How the student is named; <see cref="PassportSubjectIdentity.Uuid"/> by default.</summary>
    public PassportSubjectIdentity SubjectIdentity { get; init; } = PassportSubjectIdentity.Uuid;

    /// <summary>The salt of hashed identities; a new random salt per credential when null.</summary>
    public string? IdentitySalt { get; init; }

    /// <summary>Which skills a student has met; <see cref="MetSkillRule.DefenseOfLearning"/> by default.</summary>
    public MetSkillRule Rule { get; init; } = MetSkillRule.DefenseOfLearning;

    /// <summary>
    /// The base of the district's CASE URIs (as in the CASE export): a skill without its own URI is aligned to
    /// <c>{CaseBaseUri}CFItems/{skill id}</c>; without either, the achievement carries no alignment.
    /// </summary>
    public Uri? CaseBaseUri { get; init; }

    /// <summary>
    /// Whether the student consented to their reflections leaving the district in their credentials; false by
    /// default, and then no reflection text is written.
    /// </summary>
    public bool IncludeReflections { get; init; }

    /// <summary>The name of the CLR; "{district} Comprehensive Learner Record" when null.</summary>
    public string? RecordName { get; init; }
}

/// <summary>A skill a student has met, and the milestone outcome that shows it.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Milestone">The closed milestone.</param>
/// <param name="Rubric">The milestone's rubric.</param>
/// <param name="Criterion">The rubric criterion whose outcome met the bar.</param>
/// <param name="Level">The level reached.</param>
public sealed record MetSkill(SkillId SkillId, Milestone Milestone, Rubric Rubric, RubricCriterion Criterion, RubricLevel Level)
{
    /// <summary>When the skill was shown: the day the milestone was held (its showcase frozen), else its schedule.</summary>
    public DateTimeOffset ShownAt => Milestone.ShowcaseFrozenAt ?? Milestone.ScheduledAt;
}

/// <summary>The district's rule for which skills a student has met, applied to each closed milestone.</summary>
public abstract class MetSkillRule
{
    /// <summary>
    /// The default: a skill is met when the rubric criterion linked to it (<see cref="RubricCriterion.SkillId"/>)
    /// reached the rubric's meets level (<see cref="Rubric.Meets"/>) in a closed Defense of Learning outcome.
    /// </summary>
    public static MetSkillRule DefenseOfLearning { get; } = new LinkedCriterionRule();

    /// <summary>
    /// For Defense rubrics that score dimensions rather than skills: every skill showcased in a closed Defense
    /// of Learning is met when every criterion of its outcome reached the meets level; the level recorded is the
    /// lowest criterion outcome (by position).
    /// </summary>
    public static MetSkillRule ShowcasedInMetDefense { get; } = new ShowcasedRule();

    /// <summary>The skills <paramref name="milestone"/> shows met.</summary>
    /// <param name="milestone">A closed milestone of the student.</param>
    /// <param name="rubric">Its rubric.</param>
    /// <returns>The skills met, with the outcome that shows each.</returns>
    public abstract IEnumerable<MetSkill> Find(Milestone milestone, Rubric rubric);

    private sealed class LinkedCriterionRule : MetSkillRule
    {
        public override IEnumerable<MetSkill> Find(Milestone milestone, Rubric rubric)
        {
            ArgumentNullException.ThrowIfNull(milestone);
            ArgumentNullException.ThrowIfNull(rubric);
            if (milestone.Kind != MilestoneKind.DefenseOfLearning || milestone.Status != MilestoneStatus.Closed)
            {
                yield break;
            }

            foreach (var outcome in milestone.Outcome)
            {
                if (rubric.FindCriterion(outcome.CriterionId) is { SkillId: { } skill } criterion
                    && criterion.FindLevel(outcome.LevelId) is { } level
                    && rubric.Meets(criterion, level))
                {
                    yield return new MetSkill(skill, milestone, rubric, criterion, level);
                }
            }
        }
    }

    private sealed class ShowcasedRule : MetSkillRule
    {
        public override IEnumerable<MetSkill> Find(Milestone milestone, Rubric rubric)
        {
            ArgumentNullException.ThrowIfNull(milestone);
            ArgumentNullException.ThrowIfNull(rubric);
            if (milestone.Kind != MilestoneKind.DefenseOfLearning || milestone.Status != MilestoneStatus.Closed || milestone.Outcome.Count == 0)
            {
                return [];
            }

            var outcomes = new List<(RubricCriterion Criterion, RubricLevel Level)>();
            foreach (var outcome in milestone.Outcome)
            {
                if (rubric.FindCriterion(outcome.CriterionId) is not { } criterion || criterion.FindLevel(outcome.LevelId) is not { } level || !rubric.Meets(criterion, level))
                {
                    return [];
                }

                outcomes.Add((criterion, level));
            }

            var lowest = outcomes.OrderBy(o => o.Level.Position).ThenBy(o => o.Criterion.Position).First();
            return milestone.Showcase.Select(e => e.SkillId).Distinct()
                .Select(skill => new MetSkill(skill, milestone, rubric, lowest.Criterion, lowest.Level))
                .ToArray();
        }
    }
}

/// <summary>A student's signed passport: the CLR and the Open Badges credentials it embeds.</summary>
/// <param name="Clr">The signed <c>ClrCredential</c>.</param>
/// <param name="Credentials">The signed <c>OpenBadgeCredential</c>s, one per met skill, as embedded in the CLR.</param>
public sealed record IssuedPassport(JsonObject Clr, IReadOnlyList<JsonObject> Credentials);
