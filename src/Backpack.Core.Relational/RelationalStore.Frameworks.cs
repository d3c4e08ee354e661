using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <content>The district's frameworks, rubrics (every version) and schools.</content>
internal abstract partial class RelationalStore
{
    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken) =>
        GetDocAsync<SkillsFramework>("reading a framework", "SELECT doc FROM frameworks WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken) =>
        ListDocsAsync<SkillsFramework>("listing frameworks", "SELECT doc FROM frameworks WHERE district_id = @p0 ORDER BY id", [D], cancellationToken);

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken) =>
        GetDocAsync<Rubric>("reading a rubric", "SELECT doc FROM rubrics WHERE district_id = @p0 AND id = @p1 AND version = @p2", [D, Id(rubric.Id.Value), (ColKind.Long, (long)rubric.Version)], cancellationToken);

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken) =>
        GetDocAsync<Rubric>("reading a rubric", "SELECT doc FROM rubrics WHERE district_id = @p0 AND id = @p1 ORDER BY version DESC LIMIT 1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken) =>
        ListDocsAsync<School>("listing schools", "SELECT doc FROM schools WHERE district_id = @p0 ORDER BY id", [D], cancellationToken);
}
