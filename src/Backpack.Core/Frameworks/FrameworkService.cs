using Backpack.Core.Access;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Frameworks;

/// <summary>Creates, edits and publishes district frameworks and rubric versions.</summary>
public sealed partial class FrameworkService
{
    private readonly CommandPath _path;
    private readonly ILogger _logger;

    internal FrameworkService(CommandPath path, ILogger<FrameworkService> logger)
    {
        _path = path;
        _logger = logger;
    }

    private IBackpackStore Store => _path.Store;

    /// <summary>Creates a framework whose first draft is <paramref name="draft"/>.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="draft">The first draft.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public Task<SkillsFramework> CreateAsync(Actor actor, FrameworkId id, FrameworkContent draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return Manage(actor, "framework.create", id.ToString(), c =>
        {
            var problems = draft.Validate("$.draft");
            return Task.FromResult(problems.Count > 0 ? throw new BackpackValidationException(problems) : c.Put(SkillsFramework.Create(id, draft)));
        }, cancellationToken);
    }

    /// <summary>Edits the framework's draft (starting one from the current version if needed). Audited.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="edit">The edit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public Task<SkillsFramework> EditDraftAsync(Actor actor, FrameworkId id, Func<FrameworkContent, FrameworkContent> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return Manage(actor, "framework.edit", id.ToString(), async c =>
        {
            var edited = (await LoadAsync(id, cancellationToken).ConfigureAwait(false)).EditDraft(edit);
            var problems = edited.Draft!.Validate("$.draft");
            return problems.Count > 0 ? throw new BackpackValidationException(problems) : c.Put(edited);
        }, cancellationToken);
    }

    /// <summary>Publishes the draft as the next immutable version.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public Task<SkillsFramework> PublishAsync(Actor actor, FrameworkId id, CancellationToken cancellationToken = default) =>
        Manage(actor, "framework.publish", id.ToString(), async c =>
        {
            var published = (await LoadAsync(id, cancellationToken).ConfigureAwait(false)).Publish(c.Now);
            LogPublished(_logger, id, published.Versions.Count);
            return c.Put(published);
        }, cancellationToken);

    /// <summary>Gets a framework.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadFramework"/>: anyone in the district).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The framework.</returns>
    /// <exception cref="BackpackNotFoundException">No such framework.</exception>
    public Task<SkillsFramework> GetAsync(Actor actor, FrameworkId id, CancellationToken cancellationToken = default) =>
        Read(actor, _ => LoadAsync(id, cancellationToken), cancellationToken);

    /// <summary>Adds a rubric version. The first version is 1; each next version is the latest + 1.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rubric.</returns>
    /// <exception cref="BackpackValidationException">The rubric breaks a rule; nothing was saved.</exception>
    public Task<Rubric> AddRubricVersionAsync(Actor actor, Rubric rubric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        return Manage(actor, "rubric.add", rubric.Ref.ToString(), async c =>
        {
            rubric.EnsureValid();
            var latest = await Store.GetLatestRubricAsync(rubric.Id, cancellationToken).ConfigureAwait(false);
            var expected = (latest?.Version ?? 0) + 1;
            return rubric.Version != expected
                ? throw new BackpackValidationException("$.version", "rubric.version.next", $"Rubric {rubric.Id} is at version {expected - 1}; the next version must be {expected}, not {rubric.Version}.")
                : c.Put(rubric);
        }, cancellationToken);
    }

    /// <summary>Gets a rubric version.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadFramework"/>: anyone in the district).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rubric.</returns>
    /// <exception cref="BackpackNotFoundException">No such rubric version.</exception>
    public Task<Rubric> GetRubricAsync(Actor actor, RubricRef rubric, CancellationToken cancellationToken = default) =>
        Read(actor, _ => LoadRubricAsync(rubric, cancellationToken), cancellationToken);

    /// <summary>
    /// Imports a framework package (e.g. read from a CASE CFPackage by the Backpack.Core.Case package): the
    /// framework becomes the draft of the framework with the package's id (created if new; publish it with
    /// <see cref="PublishAsync"/>), and each rubric is added as the next version of its rubric unless it equals
    /// the latest version. Everything is saved in one change set with the audit record: a bad package, or a
    /// conflict, changes nothing.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="package">The package.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The package as saved (rubrics with the versions they were saved as).</returns>
    /// <exception cref="BackpackValidationException">The framework or a rubric breaks a rule; nothing was saved.</exception>
    public Task<FrameworkPackage> ImportAsync(Actor actor, FrameworkPackage package, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Manage(actor, "framework.import", package.Id.ToString(), async c =>
        {
            var problems = package.Framework.Validate("$.framework");
            if (problems.Count > 0)
            {
                throw new BackpackValidationException(problems);
            }

            var existing = await Store.GetFrameworkAsync(package.Id, cancellationToken).ConfigureAwait(false);
            c.Put(existing is null ? SkillsFramework.Create(package.Id, package.Framework) : existing with { Draft = package.Framework });
            var rubrics = new List<Rubric>();
            foreach (var rubric in package.Rubrics)
            {
                rubric.EnsureValid();
                var latest = await Store.GetLatestRubricAsync(rubric.Id, cancellationToken).ConfigureAwait(false);
                rubrics.Add(latest is not null && latest with { Version = rubric.Version } == rubric ? latest : c.Put(rubric with { Version = (latest?.Version ?? 0) + 1 }));
            }

            c.Detail = $"{package.Rubrics.Count} rubrics";
            LogImported(_logger, package.Id, package.Framework.Skills.Count, rubrics.Count);
            return package with { Rubrics = rubrics.ToValueList() };
        }, cancellationToken);
    }

    /// <summary>
    /// Reads a framework's current version (or its draft, when unpublished) and the given rubric versions as one
    /// package, e.g. to write it as a CASE CFPackage. When the content carries no last-change time, the package's
    /// is the version's publication time (for a draft, now).
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadFramework"/>: anyone in the district).</param>
    /// <param name="id">The framework.</param>
    /// <param name="rubrics">The rubric versions to include.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The package.</returns>
    /// <exception cref="BackpackNotFoundException">No such framework or rubric version.</exception>
    public Task<FrameworkPackage> GetPackageAsync(Actor actor, FrameworkId id, IEnumerable<RubricRef> rubrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rubrics);
        return Read(actor, async c =>
        {
            var framework = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
            var content = framework.Current?.Content ?? framework.Draft ?? throw new BackpackValidationException("$.framework", "framework.content", $"Framework {id} has no content.");
            var list = new List<Rubric>();
            foreach (var r in rubrics)
            {
                list.Add(await LoadRubricAsync(r, cancellationToken).ConfigureAwait(false));
            }

            if (content.LastChangeDateTime is null)
            {
                content = content with { LastChangeDateTime = framework.Current?.PublishedAt ?? c.Now };
            }

            return new FrameworkPackage(id, content, list.ToValueList());
        }, cancellationToken);
    }

    private Task<T> Manage<T>(Actor actor, string action, string? resource, Func<Command, Task<T>> apply, CancellationToken ct) =>
        _path.RunAsync(actor, new AccessRequest(BackpackOperation.ManageFramework), action, c =>
        {
            c.Resource = resource;
            return apply(c);
        }, ct);

    // Framework reads are district data (no personal data): authorized, denials audited, reads not audited.
    private Task<T> Read<T>(Actor actor, Func<Command, Task<T>> read, CancellationToken ct) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadFramework), "framework.read", c =>
        {
            c.RecordsOperation = false;
            return read(c);
        }, ct);

    private async Task<SkillsFramework> LoadAsync(FrameworkId id, CancellationToken ct) =>
        await Store.GetFrameworkAsync(id, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", id.ToString());

    private async Task<Rubric> LoadRubricAsync(RubricRef rubric, CancellationToken ct) =>
        await Store.GetRubricAsync(rubric, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework package imported as framework {FrameworkId}: {Skills} skills, {Rubrics} rubrics.")]
    private static partial void LogImported(ILogger logger, FrameworkId frameworkId, int skills, int rubrics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework {FrameworkId} published as version {Version}.")]
    private static partial void LogPublished(ILogger logger, FrameworkId frameworkId, int version);
}
