using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Credentials.Passport;

/// <summary>
/// Issues a student's verifiable passport (a signed CLR 2.0 embedding one signed Open Badges 3.0 credential per
/// met skill) from their backpack, read through core's services with the actor who asks, and verifies incoming
/// OB 3.0 / CLR 2.0 credentials. Never logs keys or student data.
/// </summary>
public sealed class PassportService
{
    private static readonly string[] CredentialTypes = ["OpenBadgeCredential", "AchievementCredential", "ClrCredential"];

    private readonly BackpackService backpack;
    private readonly FrameworkService frameworks;
    private readonly BackpackOptions district;
    private readonly TimeProvider time;
    private readonly EddsaRdfc2022 suite;

    /// <summary>Creates the service.</summary>
    /// <param name="backpack">Reads the student's backpack.</param>
    /// <param name="frameworks">Reads the framework and rubrics.</param>
    /// <param name="options">The district's options (its evidence rule).</param>
    /// <param name="time">The clock: proof creation, the CLR's validFrom, validity checks.</param>
    /// <param name="suite">The signing suite; the pinned-context eddsa-rdfc-2022 with did:key when null.</param>
    public PassportService(BackpackService backpack, FrameworkService frameworks, IOptions<BackpackOptions> options, TimeProvider time, EddsaRdfc2022? suite = null)
    {
        ArgumentNullException.ThrowIfNull(backpack);
        ArgumentNullException.ThrowIfNull(frameworks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        this.backpack = backpack;
        this.frameworks = frameworks;
        district = options.Value;
        this.time = time;
        this.suite = suite ?? new EddsaRdfc2022();
    }

    /// <summary>
    /// Issues a student's passport: reads their backpack (<see cref="BackpackService.GetBackpackAsync"/>) and the
    /// framework and rubrics with <paramref name="actor"/>, finds the skills met under the district's rule, and
    /// signs one <c>OpenBadgeCredential</c> per met skill (the best outcome per skill) and the <c>ClrCredential</c>
    /// that embeds them.
    /// </summary>
    /// <param name="actor">Who asks (the student, a current teacher, an administrator of the student's school; see the access table).</param>
    /// <param name="student">The student.</param>
    /// <param name="framework">The district's skills framework (its current published version).</param>
    /// <param name="issuer">The district as issuer, with its key.</param>
    /// <param name="options">The district's passport options; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed passport, or <see langword="null"/> when the student has met no skill under the rule.</returns>
    /// <exception cref="BackpackAccessDeniedException">The actor may not read the backpack.</exception>
    /// <exception cref="BackpackValidationException">The framework has no published version.</exception>
    public async Task<IssuedPassport?> IssueAsync(Actor actor, StudentId student, FrameworkId framework, PassportIssuer issuer, PassportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(issuer);
        var passport = await backpack.GetBackpackAsync(actor, student, cancellationToken).ConfigureAwait(false);
        return await IssueFromAsync(actor, passport, framework, issuer, options ?? new PassportOptions(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Issues a passport from a backpack already read under an operation the policy allowed (a handoff's
    /// <see cref="BackpackOperation.RunHandoff"/>), signed as of <paramref name="now"/>: the same inputs give the same
    /// credentials, byte for byte. The framework and rubrics are read with <paramref name="actor"/>.
    /// </summary>
    internal async Task<IssuedPassport?> IssueFromAsync(Actor actor, Storage.StudentPassport passport, FrameworkId framework, PassportIssuer issuer, PassportOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fw = await frameworks.GetAsync(actor, framework, cancellationToken).ConfigureAwait(false);
        var content = fw.Current?.Content ?? throw new BackpackValidationException("$.framework", "passport.framework.published", "The framework has no published version.");
        var rubrics = new Dictionary<RubricRef, Rubric>();
        var met = new List<MetSkill>();
        foreach (var milestone in passport.Milestones.Where(m => m.Status == MilestoneStatus.Closed && m.Rubric is not null).OrderBy(m => m.ScheduledAt))
        {
            var reference = milestone.Rubric!.Value;
            if (!rubrics.TryGetValue(reference, out var rubric))
            {
                rubric = await frameworks.GetRubricAsync(actor, reference, cancellationToken).ConfigureAwait(false);
                rubrics[reference] = rubric;
            }

            met.AddRange(options.Rule.Find(milestone, rubric));
        }

        var best = met
            .Where(m => content.FindSkill(m.SkillId) is not null)
            .GroupBy(m => m.SkillId)
            .Select(g => g.OrderByDescending(m => m.Level.Position).ThenByDescending(m => m.ShownAt).First())
            .OrderBy(m => content.FindSkill(m.SkillId)!.Position)
            .ToArray();
        if (best.Length == 0)
        {
            return null;
        }

        var builder = new PassportCredentialBuilder(issuer, options, district.EvidenceRule);
        var signed = new List<JsonObject>();
        var achievements = new List<JsonObject>();
        foreach (var m in best)
        {
            var skill = content.FindSkill(m.SkillId)!;
            var credential = builder.AchievementCredential(passport.Student, content, skill, m);
            achievements.Add((JsonObject)credential["credentialSubject"]!["achievement"]!);
            signed.Add(await suite.SignAsync(credential, issuer.Key, now, cancellationToken).ConfigureAwait(false));
        }

        var clr = builder.Clr(passport.Student, framework, content, achievements, signed, now);
        var signedClr = await suite.SignAsync(clr, issuer.Key, now, cancellationToken).ConfigureAwait(false);
        return new IssuedPassport(signedClr, signed);
    }

    /// <summary>
    /// Verifies an incoming Open Badges 3.0 or CLR 2.0 credential with the library's own engine: its shape (VC 2.0
    /// context, credential types, issuer), its validity period at the clock's now, its <c>eddsa-rdfc-2022</c> proof
    /// (pinned contexts, safe mode), that the proof's key belongs to the issuer, and, for a CLR, every credential it
    /// embeds. Never throws for a credential that does not verify.
    /// </summary>
    /// <param name="credential">The credential.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it verified, and every error found (each starting with the rule's name).</returns>
    public async Task<CredentialVerificationResult> VerifyAsync(JsonObject credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var errors = new List<string>();
        if (EddsaRdfc2022.Malformed(credential) is { } malformed)
        {
            return new CredentialVerificationResult(false, [$"document.json: {malformed}"]);
        }

        await VerifyIntoAsync(credential, string.Empty, errors, depth: 0, cancellationToken).ConfigureAwait(false);
        return new CredentialVerificationResult(errors.Count == 0, errors);
    }

    /// <summary>
    /// Imports a transfer student's passport from another issuer: verifies it (<see cref="VerifyAsync"/>) and adds
    /// each achievement credential it holds (the CLR's embedded credentials, or the credential itself) to the
    /// student's backpack as read-only external evidence with its issuer (<see cref="ExternalCredentialSource"/>),
    /// through <see cref="BackpackService.AddArtifactAsync"/> with <paramref name="actor"/>. Importing the same
    /// credential again adds nothing.
    /// </summary>
    /// <param name="actor">Who (the student, or a current teacher: <see cref="BackpackOperation.AddArtifact"/>).</param>
    /// <param name="student">The student.</param>
    /// <param name="credential">The CLR 2.0 or OB 3.0 credential.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The evidence added (empty when everything was imported before).</returns>
    /// <exception cref="BackpackValidationException">The credential does not verify; nothing was added.</exception>
    public async Task<IReadOnlyList<Artifact>> ImportAsync(Actor actor, StudentId student, JsonObject credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var verified = await VerifyAsync(credential, cancellationToken).ConfigureAwait(false);
        if (!verified.Verified)
        {
            throw new BackpackValidationException(verified.Errors.Select(e => new ValidationProblem("$.credential", "credential.verified", e)).ToArray());
        }

        var achievements = Strings(credential["type"]).Contains("ClrCredential")
            ? (credential["credentialSubject"]?["verifiableCredential"] as JsonArray ?? []).OfType<JsonObject>().ToArray()
            : [credential];
        var known = (await backpack.GetBackpackAsync(actor, student, cancellationToken).ConfigureAwait(false)).Artifacts
            .Select(a => a.Source).OfType<ExternalCredentialSource>().Select(s => s.CredentialId).ToHashSet(StringComparer.Ordinal);
        var added = new List<Artifact>();
        foreach (var vc in achievements)
        {
            var id = Text(vc["id"]) ?? string.Empty;
            if (id.Length == 0 || !known.Add(id))
            {
                continue;
            }

            var issuer = vc["issuer"] is JsonObject o ? Text(o["id"]) : Text(vc["issuer"]);
            var name = Text(vc["credentialSubject"]?["achievement"]?["name"]) ?? Text(vc["name"]) ?? "Credential from another issuer";
            var validFrom = DateTimeOffset.TryParse(Text(vc["validFrom"]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from : (DateTimeOffset?)null;
            var title = name.Length > district.ArtifactRules.MaxTitleLength ? name[..district.ArtifactRules.MaxTitleLength] : name;
            added.Add(await backpack.AddArtifactAsync(actor, student, title, new ExternalCredentialSource(issuer ?? string.Empty, id) { ValidFrom = validFrom }, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        return added;
    }

    private async Task VerifyIntoAsync(JsonObject credential, string path, List<string> errors, int depth, CancellationToken cancellationToken)
    {
        var prefix = path.Length == 0 ? string.Empty : path + ": ";
        var contexts = credential["@context"] as JsonArray;
        if (contexts is null || contexts.Count == 0 || Text(contexts[0]) != PassportCredentialBuilder.CredentialsContext)
        {
            errors.Add(prefix + "credential.context: the first @context is not " + PassportCredentialBuilder.CredentialsContext);
        }

        var types = Strings(credential["type"]);
        if (!types.Contains("VerifiableCredential") || !types.Any(t => CredentialTypes.Contains(t)))
        {
            errors.Add(prefix + "credential.type: not a VerifiableCredential of type OpenBadgeCredential, AchievementCredential or ClrCredential");
        }

        var issuer = credential["issuer"] is JsonObject o ? Text(o["id"]) : Text(credential["issuer"]);
        if (string.IsNullOrEmpty(issuer))
        {
            errors.Add(prefix + "credential.issuer: the issuer has no id");
        }

        var now = time.GetUtcNow();
        CheckDate(credential, "validFrom", required: true, d => d > now, "is in the future", prefix, errors);
        CheckDate(credential, "validUntil", required: false, d => d < now, "has passed", prefix, errors);

        var proofs = credential["proof"] is JsonArray a ? a.OfType<JsonObject>().ToArray() : credential["proof"] is JsonObject p ? [p] : [];
        foreach (var proof in proofs)
        {
            var method = Text(proof["verificationMethod"]);
            if (issuer is { Length: > 0 } && method is not null && !method.StartsWith(issuer + "#", StringComparison.Ordinal))
            {
                errors.Add(prefix + "proof.issuer: the proof's verification method does not belong to the issuer");
            }
        }

        var result = await suite.VerifyAsync(credential, cancellationToken).ConfigureAwait(false);
        errors.AddRange(result.Errors.Select(e => prefix + e));

        if (types.Contains("ClrCredential"))
        {
            var embedded = credential["credentialSubject"]?["verifiableCredential"] as JsonArray;
            if (embedded is null || embedded.Count == 0)
            {
                errors.Add(prefix + "clr.verifiableCredential: the CLR embeds no credential");
            }
            else if (depth > 0)
            {
                errors.Add(prefix + "clr.nesting: a CLR embedded in a CLR is not accepted");
            }
            else
            {
                for (var i = 0; i < embedded.Count; i++)
                {
                    var at = $"{path}credentialSubject.verifiableCredential[{i.ToString(CultureInfo.InvariantCulture)}]";
                    if (embedded[i] is JsonObject inner)
                    {
                        await VerifyIntoAsync(inner, at, errors, depth + 1, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        errors.Add(at + ": clr.verifiableCredential: not a JSON object (an enveloped credential is not supported)");
                    }
                }
            }
        }
    }

    private static void CheckDate(JsonObject credential, string name, bool required, Func<DateTimeOffset, bool> bad, string problem, string prefix, List<string> errors)
    {
        var text = Text(credential[name]);
        if (text is null)
        {
            if (required)
            {
                errors.Add($"{prefix}credential.{name}: missing");
            }

            return;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            errors.Add($"{prefix}credential.{name}: not a date-time");
        }
        else if (bad(date))
        {
            errors.Add($"{prefix}credential.{name}: {problem}");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string[] Strings(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(Text).OfType<string>()],
        JsonValue when Text(node) is { } s => [s],
        _ => [],
    };
}

/// <summary>What a handoff issues the student's passport with (<see cref="PassportBackpackBuilderExtensions.AddPassport(IBackpackBuilder, Func{IServiceProvider, PassportHandoffSettings})"/>).</summary>
/// <param name="Issuer">The district as issuer, with its key.</param>
/// <param name="Framework">The district's skills framework (its current published version).</param>
public sealed record PassportHandoffSettings(PassportIssuer Issuer, FrameworkId Framework)
{
    /// <summary>
    /// The district's passport options (its rule, CASE URIs...); the defaults when not set. For a re-run to write the same
    /// archive, a hashed subject identity needs a fixed <see cref="PassportOptions.IdentitySalt"/>.
    /// </summary>
    public PassportOptions Options { get; init; } = new();
}

/// <summary>A handoff's passport: the signed CLR and its credentials as files of the archive.</summary>
internal sealed class PassportHandoffContributor(PassportService passports, PassportHandoffSettings settings) : IHandoffContributor
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<HandoffContribution?> ContributeAsync(HandoffContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        const string Heading = "Your verifiable passport";
        var issued = await passports.IssueFromAsync(context.Actor, context.Record, settings.Framework, settings.Issuer, settings.Options, context.Handoff.StartedAt, cancellationToken).ConfigureAwait(false);
        if (issued is null)
        {
            return new HandoffContribution(Heading, "No skill met the district's rule for a credential, so no passport was issued.", ValueList<HandoffFile>.Empty);
        }

        var files = new List<HandoffFile>
        {
            new("clr.json", $"Comprehensive Learner Record 2.0 holding the {issued.Credentials.Count} skill credential(s) below, signed by {settings.Issuer.Name} ({settings.Issuer.Key.IssuerId})", issued.Clr.ToJsonString(Indented)),
        };
        for (var i = 0; i < issued.Credentials.Count; i++)
        {
            var achievement = issued.Credentials[i]["credentialSubject"]?["achievement"]?["name"]?.GetValue<string>() ?? "a skill";
            files.Add(new($"ob-{(i + 1).ToString(CultureInfo.InvariantCulture)}.json", $"Open Badges 3.0 credential: {achievement}", issued.Credentials[i].ToJsonString(Indented)));
        }

        return new HandoffContribution(
            Heading,
            $"Your skills as credentials signed by {settings.Issuer.Name}. Keep these files: any wallet or verifier that accepts Open Badges 3.0 and the Comprehensive Learner Record 2.0 (proofs of type eddsa-rdfc-2022) can check that they are genuine and unchanged, without asking the district.",
            files.ToValueList());
    }
}
