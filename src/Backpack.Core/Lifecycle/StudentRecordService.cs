using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core.Access;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Lifecycle;

/// <summary>
/// Inspection requests: everything the district holds about one student, as one JSON document described by
/// <see cref="JsonSchema"/> (the student with enrollments and guardians; rosters; artifacts with alignments and
/// reasoning, every reflection version and teacher feedback; evaluations with the evaluator's id, role and
/// history; milestones; the handoff record, with the personal email given, after a graduation or withdrawal; and the
/// audit trail about the student: who by role and id, what, when).
/// </summary>
public sealed class StudentRecordService
{
    /// <summary>The value of the document's <c>format</c> property.</summary>
    public const string Format = "backpack.student-record/1";

    private const string SchemaResource = "Backpack.Core.Lifecycle.student-record.schema.json";
    private static readonly Lazy<string> Schema = new(ReadSchema);
    private readonly CommandPath _path;

    internal StudentRecordService(CommandPath path) => _path = path;

    /// <summary>The JSON Schema (draft-07) every export satisfies, as shipped in the package.</summary>
    public static string JsonSchema => Schema.Value;

    /// <summary>
    /// Exports everything the district holds about <paramref name="student"/> as one JSON document (UTF-8 text,
    /// see <see cref="JsonSchema"/>). Audited as <c>student.export</c>; student text is exported as stored (JSON
    /// escapes it), never logged.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ExportStudentRecord"/>: the student, a guardian of theirs, a district administrator).</param>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="BackpackAccessDeniedException">The actor may not export this student's record (the same whether or not the student exists).</exception>
    /// <exception cref="BackpackNotFoundException">A district administrator asked for a student who does not exist.</exception>
    public Task<string> ExportStudentRecordAsync(Actor actor, StudentId student, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ExportStudentRecord) { Student = student }, "student.export", async c =>
        {
            var store = _path.Store;
            var passport = await store.LoadPassportAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            var rosters = new JsonArray();
            foreach (var year in passport.Student.Enrollments.Select(e => e.Year).Distinct().OrderBy(y => y.StartYear))
            {
                foreach (var r in (await store.ListRostersForStudentAsync(student, year, cancellationToken).ConfigureAwait(false)).OrderBy(r => r.Id))
                {
                    rosters.Add(new JsonObject
                    {
                        ["id"] = r.Id.ToString(),
                        ["schoolId"] = r.SchoolId.ToString(),
                        ["year"] = r.Year.StartYear,
                        ["name"] = r.Name,
                        ["teacherIds"] = new JsonArray([.. r.Teachers.Select(t => (JsonNode)t.ToString())]),
                    });
                }
            }

            var audit = new JsonArray();
            foreach (var a in await store.ReadAuditAsync(new AuditQuery { StudentId = student, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false))
            {
                var colon = a.ActorId.IndexOf(':', StringComparison.Ordinal);
                var entry = new JsonObject
                {
                    ["at"] = a.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["actorRole"] = colon > 0 ? a.ActorId[..colon] : a.ActorId,
                    ["actorId"] = a.ActorId,
                    ["action"] = a.Action,
                    ["allowed"] = a.Allowed,
                };
                if (a.ResourceId is { } resource)
                {
                    entry["resourceId"] = resource;
                }

                audit.Add(entry);
            }

            var document = new JsonObject
            {
                ["format"] = Format,
                ["districtId"] = _path.Options.DistrictId,
                ["exportedAt"] = c.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["exportedBy"] = new JsonObject { ["role"] = actor.Role.ToString(), ["actorId"] = actor.AuditId },
                ["student"] = Node(passport.Student),
                ["exitedOn"] = passport.Student.ExitedOn()?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["rosters"] = rosters,
                ["artifacts"] = new JsonArray([.. passport.Artifacts.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(Node)]),
                ["evaluations"] = new JsonArray([.. passport.Evaluations.OrderBy(e => e.ScoredAt).ThenBy(e => e.Id).Select(Node)]),
                ["milestones"] = new JsonArray([.. passport.Milestones.OrderBy(m => m.Id).Select(Node)]),
                ["auditTrail"] = audit,
            };
            if (document["exitedOn"] is null)
            {
                document.Remove("exitedOn");
            }

            if (Handoff.FromCheckpoint(await store.GetCheckpointAsync(Handoff.CheckpointKey(student), cancellationToken).ConfigureAwait(false)) is { } handoff)
            {
                document["handoff"] = Node(handoff);
            }

            return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }, cancellationToken);

    private static JsonNode Node<T>(T value) => JsonNode.Parse(BackpackJson.Serialize(value))!;

    private static string ReadSchema()
    {
        using var stream = typeof(StudentRecordService).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"The embedded resource {SchemaResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
