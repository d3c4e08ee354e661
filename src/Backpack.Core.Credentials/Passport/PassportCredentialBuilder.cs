using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Credentials.Passport;

/// <summary>
/// Maps the district's framework and a student's met skills to unsigned Open Badges 3.0 and CLR 2.0 documents
/// (W3C VC 2.0, the pinned OB 3.0.3 and CLR 2.0.1 contexts). Skills become <c>Achievement</c>s of type
/// <c>Competency</c>; met skills become <c>OpenBadgeCredential</c>s; the CLR embeds them with its
/// <c>achievement</c> and <c>association</c> entries. Ids are stable <c>urn:uuid</c>s derived from the records, so
/// the same outcome always maps to the same credential id.
/// </summary>
public sealed class PassportCredentialBuilder
{
    /// <summary>The W3C Verifiable Credentials 2.0 context.</summary>
    public const string CredentialsContext = "https://www.w3.org/ns/credentials/v2";

    /// <summary>The Open Badges 3.0.3 context.</summary>
    public const string OpenBadgesContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    /// <summary>The CLR 2.0.1 context.</summary>
    public const string ClrContext = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

    private readonly PassportIssuer issuer;
    private readonly PassportOptions options;
    private readonly EvidenceRule evidenceRule;

    /// <summary>Creates the builder.</summary>
    /// <param name="issuer">The district as issuer.</param>
    /// <param name="options">The district's passport options.</param>
    /// <param name="evidenceRule">The district's evidence rule (it is written into each achievement's criteria).</param>
    public PassportCredentialBuilder(PassportIssuer issuer, PassportOptions options, EvidenceRule evidenceRule)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(evidenceRule);
        this.issuer = issuer;
        this.options = options;
        this.evidenceRule = evidenceRule;
    }

    /// <summary>The stable id of a skill's achievement: <c>urn:uuid:{skill id}</c>.</summary>
    /// <param name="skill">The skill.</param>
    /// <returns>The id.</returns>
    public static string AchievementId(SkillId skill) => "urn:uuid:" + skill.ToString();

    /// <summary>The OB 3.0 <c>Achievement</c> of a framework skill.</summary>
    /// <param name="framework">The framework version's content.</param>
    /// <param name="skill">The skill.</param>
    /// <param name="rubric">The rubric the skill is judged with (its criterion for the skill gives the result description), if any.</param>
    /// <param name="criterion">The rubric criterion for the skill, if any.</param>
    /// <returns>A new JSON object.</returns>
    public JsonObject Achievement(FrameworkContent framework, Skill skill, Rubric? rubric, RubricCriterion? criterion)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(skill);
        var achievement = new JsonObject
        {
            ["id"] = AchievementId(skill.Id),
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = "Competency",
            ["name"] = skill.Name,
            ["description"] = skill.Description ?? skill.AbbreviatedStatement ?? $"{skill.Name}, a skill of {framework.Title}.",
            ["criteria"] = new JsonObject { ["narrative"] = CriteriaNarrative(skill, rubric, criterion) },
            ["creator"] = issuer.ToProfile(),
        };
        if (skill.Code is { Length: > 0 } code)
        {
            achievement["humanCode"] = code;
        }

        if (CaseUri(skill) is { } uri)
        {
            var alignment = new JsonObject
            {
                ["type"] = new JsonArray("Alignment"),
                ["targetName"] = skill.Name,
                ["targetUrl"] = uri,
                ["targetType"] = "CFItem",
                ["targetFramework"] = framework.Title,
            };
            if (skill.Code is { Length: > 0 } targetCode)
            {
                alignment["targetCode"] = targetCode;
            }

            achievement["alignment"] = new JsonArray(alignment);
        }

        if (rubric is not null && criterion is not null)
        {
            achievement["resultDescription"] = new JsonArray(ResultDescription(rubric, criterion));
        }

        return achievement;
    }

    /// <summary>The achievement standing for the whole framework (the graduate profile) that skill achievements are part of.</summary>
    /// <param name="id">The framework.</param>
    /// <param name="framework">The framework version's content.</param>
    /// <returns>A new JSON object.</returns>
    public JsonObject FrameworkAchievement(FrameworkId id, FrameworkContent framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var achievement = new JsonObject
        {
            ["id"] = "urn:uuid:" + id.ToString(),
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = "ext:SkillsFramework",
            ["name"] = framework.Title,
            ["description"] = framework.Description ?? $"The skills framework {framework.Title} of {issuer.Name}.",
            ["criteria"] = new JsonObject { ["narrative"] = $"Shown by meeting the skills of {framework.Title}, each recorded as its own achievement." },
            ["creator"] = issuer.ToProfile(),
        };
        var uri = framework.Uri ?? (options.CaseBaseUri is { } b ? new Uri(b, "CFDocuments/" + id.ToString()).AbsoluteUri : null);
        if (uri is not null)
        {
            achievement["alignment"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonArray("Alignment"),
                ["targetName"] = framework.Title,
                ["targetUrl"] = uri,
                ["targetType"] = "ext:CFDocument",
            });
        }

        return achievement;
    }

    /// <summary>The unsigned <c>OpenBadgeCredential</c> for a met skill.</summary>
    /// <param name="student">The student.</param>
    /// <param name="framework">The framework version's content.</param>
    /// <param name="skill">The skill met.</param>
    /// <param name="met">The outcome that shows it.</param>
    /// <returns>A new JSON object, ready to sign.</returns>
    public JsonObject AchievementCredential(Student student, FrameworkContent framework, Skill skill, MetSkill met)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(skill);
        ArgumentNullException.ThrowIfNull(met);
        var subject = Subject(student, "AchievementSubject");
        subject["achievement"] = Achievement(framework, skill, met.Rubric, met.Criterion);
        subject["result"] = new JsonArray(new JsonObject
        {
            ["type"] = new JsonArray("Result"),
            ["resultDescription"] = Urn("criterion", met.Rubric.Ref.ToString(), met.Criterion.Id.ToString()),
            ["achievedLevel"] = Urn("level", met.Rubric.Ref.ToString(), met.Criterion.Id.ToString(), met.Level.Id.ToString()),
            ["status"] = "Completed",
        });
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(CredentialsContext, OpenBadgesContext),
            ["id"] = Urn("credential", student.Id.ToString(), skill.Id.ToString(), met.Milestone.Id.ToString()),
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["issuer"] = issuer.ToProfile(),
            ["validFrom"] = Timestamp(met.ShownAt),
            ["name"] = skill.Name,
            ["description"] = $"{skill.Name}: {met.Level.Name} in a Defense of Learning ({met.Rubric.Title}).",
            ["credentialSubject"] = subject,
        };
        var evidence = Evidence(met, skill.Id);
        if (evidence.Count > 0)
        {
            credential["evidence"] = evidence;
        }

        return credential;
    }

    /// <summary>The unsigned <c>ClrCredential</c> embedding signed credentials.</summary>
    /// <param name="student">The student.</param>
    /// <param name="frameworkId">The framework.</param>
    /// <param name="framework">The framework version's content.</param>
    /// <param name="achievements">The skill achievements of the embedded credentials.</param>
    /// <param name="signedCredentials">The signed Open Badges credentials.</param>
    /// <param name="issuedAt">When the CLR is issued (from the caller's clock).</param>
    /// <returns>A new JSON object, ready to sign.</returns>
    public JsonObject Clr(Student student, FrameworkId frameworkId, FrameworkContent framework, IEnumerable<JsonObject> achievements, IEnumerable<JsonObject> signedCredentials, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(achievements);
        ArgumentNullException.ThrowIfNull(signedCredentials);
        var root = FrameworkAchievement(frameworkId, framework);
        var achievementList = new JsonArray(root);
        var associations = new JsonArray();
        foreach (var a in achievements.DistinctBy(a => (string?)a["id"]))
        {
            achievementList.Add(a.DeepClone());
            associations.Add(new JsonObject
            {
                ["type"] = "Association",
                ["associationType"] = "isChildOf",
                ["sourceId"] = a["id"]!.DeepClone(),
                ["targetId"] = root["id"]!.DeepClone(),
            });
        }

        var subject = Subject(student, "ClrSubject");
        subject["verifiableCredential"] = new JsonArray([.. signedCredentials.Select(c => (JsonNode)c.DeepClone())]);
        subject["achievement"] = achievementList;
        if (associations.Count > 0)
        {
            subject["association"] = associations;
        }

        return new JsonObject
        {
            ["@context"] = new JsonArray(CredentialsContext, ClrContext, OpenBadgesContext),
            ["id"] = Urn("clr", student.Id.ToString(), frameworkId.ToString(), Timestamp(issuedAt)),
            ["type"] = new JsonArray("VerifiableCredential", "ClrCredential"),
            ["issuer"] = issuer.ToProfile(),
            ["validFrom"] = Timestamp(issuedAt),
            ["name"] = options.RecordName ?? $"{issuer.Name} Comprehensive Learner Record",
            ["credentialSubject"] = subject,
        };
    }

    internal static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A name-based UUID (SHA-256 of the parts, version 8) as <c>urn:uuid</c>.</summary>
    internal static string Urn(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }

    private static JsonObject ResultDescription(Rubric rubric, RubricCriterion criterion)
    {
        var levels = criterion.Levels.OrderBy(l => l.Position).ToArray();
        var meets = criterion.FindLevel(rubric.MeetsLevel);
        var description = new JsonObject
        {
            ["id"] = Urn("criterion", rubric.Ref.ToString(), criterion.Id.ToString()),
            ["type"] = new JsonArray("ResultDescription"),
            ["name"] = $"{rubric.Title}: {criterion.Name}",
            ["resultType"] = "RubricCriterionLevel",
            ["allowedValue"] = new JsonArray([.. levels.Select(l => (JsonNode)l.Name)]),
        };
        if (meets is not null)
        {
            description["requiredLevel"] = Urn("level", rubric.Ref.ToString(), criterion.Id.ToString(), meets.Id.ToString());
        }

        description["rubricCriterionLevel"] = new JsonArray([.. levels.Select(l =>
        {
            var level = new JsonObject
            {
                ["id"] = Urn("level", rubric.Ref.ToString(), criterion.Id.ToString(), l.Id.ToString()),
                ["type"] = new JsonArray("RubricCriterionLevel"),
                ["name"] = l.Name,
                ["level"] = l.Position.ToString(CultureInfo.InvariantCulture),
                ["points"] = l.Score.ToString(CultureInfo.InvariantCulture),
            };
            if (l.Description is { Length: > 0 } d)
            {
                level["description"] = d;
            }

            return (JsonNode)level;
        })]);
        return description;
    }

    private string CriteriaNarrative(Skill skill, Rubric? rubric, RubricCriterion? criterion)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The student showed {skill.Name} to a Defense of Learning panel (educators, community partners and family members) ");
        if (rubric is not null && criterion is not null)
        {
            var meets = criterion.FindLevel(rubric.MeetsLevel);
            var atOrAbove = criterion.Levels.Where(l => meets is not null && l.Position >= meets.Position).OrderBy(l => l.Position).Select(l => l.Name);
            text.Append(CultureInfo.InvariantCulture, $"and reached {string.Join(" or ", atOrAbove)} on the criterion \"{criterion.Name}\" of the {rubric.Title}. ");
        }
        else
        {
            text.Append("and met the district's bar. ");
        }

        text.Append(CultureInfo.InvariantCulture, $"The evidence was the student's own showcase: at least {evidenceRule.MinimumArtifactsPerSkill} artifact(s) aligned to the skill");
        text.Append(evidenceRule.RequireReasoning ? ", each with the student's reasoning for the alignment" : string.Empty);
        text.Append(CultureInfo.InvariantCulture, $", and at least {evidenceRule.MinimumReflectionsPerSkill} reflection(s).");
        return text.ToString();
    }

    private string? CaseUri(Skill skill) =>
        skill.Uri is { Length: > 0 } uri ? uri
        : options.CaseBaseUri is { } b ? new Uri(b, "CFItems/" + skill.Id.ToString()).AbsoluteUri
        : null;

    private JsonObject Subject(Student student, string type)
    {
        var subject = new JsonObject();
        switch (options.SubjectIdentity)
        {
            case PassportSubjectIdentity.Uuid:
                subject["id"] = "urn:uuid:" + student.Id.ToString();
                break;
            case PassportSubjectIdentity.HashedStudentNumber:
                subject["identifier"] = new JsonArray(Hashed("sisSourcedId", student.DistrictStudentId));
                break;
            case PassportSubjectIdentity.HashedEmail:
            case PassportSubjectIdentity.EmailInClear:
                if (student.Email is not { Length: > 0 } email)
                {
                    throw new BackpackValidationException("$.student.email", "passport.subject.email", "The district names students by email, but the student has no email.");
                }

                subject["identifier"] = new JsonArray(options.SubjectIdentity == PassportSubjectIdentity.EmailInClear
                    ? new JsonObject { ["type"] = "IdentityObject", ["identityHash"] = email, ["identityType"] = "emailAddress", ["hashed"] = false }
                    : Hashed("emailAddress", email));
                break;
            default:
                throw new BackpackValidationException("$.options.subjectIdentity", "passport.subject.identity", "Unknown subject identity.");
        }

        subject["type"] = new JsonArray(type);
        return subject;
    }

    private JsonObject Hashed(string identityType, string value)
    {
        var salt = options.IdentitySalt ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value + salt)));
        return new JsonObject
        {
            ["type"] = "IdentityObject",
            ["identityHash"] = "sha256$" + hash,
            ["identityType"] = identityType,
            ["hashed"] = true,
            ["salt"] = salt,
        };
    }

    private JsonArray Evidence(MetSkill met, SkillId skill)
    {
        var evidence = new JsonArray();
        foreach (var shown in met.Milestone.Snapshot.Where(s => s.SkillId == skill))
        {
            foreach (var item in shown.Items)
            {
                var e = new JsonObject();
                if (item.Link.DriveFileId is { Length: > 0 } file)
                {
                    e["id"] = "https://drive.google.com/file/d/" + Uri.EscapeDataString(file);
                }
                else if (item.Link.Url is { } url)
                {
                    e["id"] = url.AbsoluteUri;
                }

                e["type"] = new JsonArray("Evidence");
                e["name"] = item.Title;
                var narrative = item.Reasoning;
                if (options.IncludeReflections && item.Reflection is { } reflection && !string.IsNullOrWhiteSpace(reflection.Text))
                {
                    narrative = narrative is null ? reflection.Text : narrative + "\n\nReflection: " + reflection.Text;
                }

                if (!string.IsNullOrWhiteSpace(narrative))
                {
                    e["narrative"] = narrative;
                }

                e["genre"] = "Showcase artifact";
                evidence.Add(e);
            }
        }

        return evidence;
    }
}
