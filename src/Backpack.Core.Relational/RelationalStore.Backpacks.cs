using System.Globalization;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <content>A student's backpack: artifacts, evaluations and milestones, each in the domain's order, and the passport that reads them together.</content>
internal abstract partial class RelationalStore
{
    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken) =>
        GetDocAsync<Artifact>("reading an artifact", "SELECT doc FROM artifacts WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Artifact>("listing artifacts", "SELECT doc FROM artifacts WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken) =>
        GetDocAsync<Evaluation>("reading an evaluation", "SELECT doc FROM evaluations WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Evaluation>("listing evaluations", "SELECT doc FROM evaluations WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Evaluation>(
            "listing evaluations",
            "SELECT doc FROM evaluations WHERE district_id = @p0 AND rubric_id = @p1 AND rubric_version = @p2 AND year = @p3",
            [D, Id(rubric.Id.Value), (ColKind.Int, rubric.Version), (ColKind.Int, year.StartYear)],
            cancellationToken).ConfigureAwait(false));

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken) =>
        GetDocAsync<Milestone>("reading a milestone", "SELECT doc FROM milestones WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Milestone>("listing milestones", "SELECT doc FROM milestones WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    private static ValueList<Artifact> Order(IEnumerable<Artifact> items) => items.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToValueList();

    private static ValueList<Evaluation> Order(IEnumerable<Evaluation> items) => items.OrderBy(a => a.ScoredAt).ThenBy(a => a.Id).ToValueList();

    private static ValueList<Milestone> Order(IEnumerable<Milestone> items) => items.OrderBy(a => a.ScheduledAt).ThenBy(a => a.Id).ToValueList();

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken) =>
        RunAsync(
            "loading a passport",
            async c =>
            {
                const string sql =
                    "SELECT 0, doc FROM students WHERE district_id = @p0 AND id = @p1 "
                    + "UNION ALL SELECT 1, doc FROM artifacts WHERE district_id = @p0 AND student_id = @p1 "
                    + "UNION ALL SELECT 2, doc FROM evaluations WHERE district_id = @p0 AND student_id = @p1 "
                    + "UNION ALL SELECT 3, doc FROM milestones WHERE district_id = @p0 AND student_id = @p1";
                var cmd = Command(c, null, sql, [D, Id(student.Value)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        Student? s = null;
                        var artifacts = new List<Artifact>();
                        var evaluations = new List<Evaluation>();
                        var milestones = new List<Milestone>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var json = reader.GetString(1);
                            switch (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture))
                            {
                                case 0: s = BackpackJson.Deserialize<Student>(json); break;
                                case 1: artifacts.Add(BackpackJson.Deserialize<Artifact>(json)); break;
                                case 2: evaluations.Add(BackpackJson.Deserialize<Evaluation>(json)); break;
                                default: milestones.Add(BackpackJson.Deserialize<Milestone>(json)); break;
                            }
                        }

                        return s is null ? null : new StudentPassport(s, Order(artifacts), Order(evaluations), Order(milestones));
                    }
                }
            },
            cancellationToken);
}
