using Backpack.Core.Access;
using Backpack.Core.DependencyInjection;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Frameworks;

/// <summary>Creates, edits and publishes district frameworks and rubric versions.</summary>
public sealed partial class FrameworkService
{
    private readonly ServiceContext _context;
    private readonly ILogger _logger;

    internal FrameworkService(ServiceContext context, ILogger<FrameworkService> logger)
    {
        _context = context;
        _logger = logger;
    }

    private IBackpackStore Store => _context.Store;

    private AccessGuard Guard => _context.Guard;

    /// <summary>Creates a framework whose first draft is <paramref name="draft"/>.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageFrameworks"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="draft">The first draft.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public async Task<SkillsFramework> CreateAsync(Actor actor, FrameworkId id, FrameworkContent draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var request = new AccessRequest(AccessRight.ManageFrameworks);
        await Guard.DemandAsync(actor, request, "framework.create", cancellationToken).ConfigureAwait(false);
        var problems = draft.Validate("$.draft");
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var framework = SkillsFramework.Create(id, draft);
        await Store.SaveAsync(new ChangeSet().Put(framework).Put(Guard.Record(actor, "framework.create", request, true, resource: id.ToString())), cancellationToken).ConfigureAwait(false);
        return framework with { Version = 1 };
    }

    /// <summary>Edits the framework's draft (starting one from the current version if needed).</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageFrameworks"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="edit">The edit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public async Task<SkillsFramework> EditDraftAsync(Actor actor, FrameworkId id, Func<FrameworkContent, FrameworkContent> edit, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ManageFrameworks);
        await Guard.DemandAsync(actor, request, "framework.edit", cancellationToken).ConfigureAwait(false);
        var framework = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var edited = framework.EditDraft(edit);
        var problems = edited.Draft!.Validate("$.draft");
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        await Store.SaveAsync(new ChangeSet().Put(edited), cancellationToken).ConfigureAwait(false);
        return edited with { Version = edited.Version + 1 };
    }

    /// <summary>Publishes the draft as the next immutable version.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageFrameworks"/>).</param>
    /// <param name="id">The framework id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved framework.</returns>
    public async Task<SkillsFramework> PublishAsync(Actor actor, FrameworkId id, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ManageFrameworks);
        await Guard.DemandAsync(actor, request, "framework.publish", cancellationToken).ConfigureAwait(false);
        var framework = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var published = framework.Publish(Guard.Clock.GetUtcNow());
        await Store.SaveAsync(new ChangeSet().Put(published).Put(Guard.Record(actor, "framework.publish", request, true, resource: id.ToString())), cancellationToken).ConfigureAwait(false);
        LogPublished(_logger, id, published.Versions.Count);
        return published with { Version = published.Version + 1 };
    }

    /// <summary>Gets a framework.</summary>
    /// <param name="id">The framework id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The framework.</returns>
    /// <exception cref="BackpackNotFoundException">No such framework.</exception>
    public async Task<SkillsFramework> GetAsync(FrameworkId id, CancellationToken cancellationToken = default) =>
        await Store.GetFrameworkAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", id.ToString());

    /// <summary>Adds a rubric version. The first version is 1; each next version is the latest + 1.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageFrameworks"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rubric.</returns>
    /// <exception cref="BackpackValidationException">The rubric breaks a rule; nothing was saved.</exception>
    public async Task<Rubric> AddRubricVersionAsync(Actor actor, Rubric rubric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        var request = new AccessRequest(AccessRight.ManageFrameworks);
        await Guard.DemandAsync(actor, request, "rubric.add", cancellationToken).ConfigureAwait(false);
        rubric.EnsureValid();
        var latest = await Store.GetLatestRubricAsync(rubric.Id, cancellationToken).ConfigureAwait(false);
        var expected = (latest?.Version ?? 0) + 1;
        if (rubric.Version != expected)
        {
            throw new BackpackValidationException("$.version", "rubric.version.next", $"Rubric {rubric.Id} is at version {expected - 1}; the next version must be {expected}, not {rubric.Version}.");
        }

        await Store.SaveAsync(new ChangeSet().Put(rubric).Put(Guard.Record(actor, "rubric.add", request, true, resource: rubric.Ref.ToString())), cancellationToken).ConfigureAwait(false);
        return rubric;
    }

    /// <summary>Gets a rubric version.</summary>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rubric.</returns>
    /// <exception cref="BackpackNotFoundException">No such rubric version.</exception>
    public async Task<Rubric> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) =>
        await Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());

    /// <summary>
    /// Imports a CASE 1.1 (or 1.0) CFPackage: the framework becomes the draft of the framework with the
    /// document's identifier (created if new; publish it with <see cref="PublishAsync"/>), and each rubric is
    /// added as the next version of its rubric unless it equals the latest version. Everything is saved in one
    /// change set: a bad package, or a conflict, changes nothing.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageFrameworks"/>).</param>
    /// <param name="json">The CFPackage JSON.</param>
    /// <param name="options">Import options (the meets level), or the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The imported package (rubrics with the versions they were saved as) and the import's warnings.</returns>
    /// <exception cref="BackpackValidationException">The package breaks a rule; every problem names its JSON path.</exception>
    public async Task<ImportResult<Case.CasePackage>> ImportCaseAsync(Actor actor, string json, Case.CaseImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ManageFrameworks);
        await Guard.DemandAsync(actor, request, "framework.import-case", cancellationToken).ConfigureAwait(false);
        var imported = Case.CaseJson.Import(json, options ?? Case.CaseImportOptions.Default);
        var package = imported.Value;
        var changes = new ChangeSet();
        var existing = await Store.GetFrameworkAsync(package.Id, cancellationToken).ConfigureAwait(false);
        changes.Put(existing is null ? SkillsFramework.Create(package.Id, package.Framework) : existing with { Draft = package.Framework });
        var rubrics = new List<Rubric>();
        foreach (var rubric in package.Rubrics)
        {
            var latest = await Store.GetLatestRubricAsync(rubric.Id, cancellationToken).ConfigureAwait(false);
            if (latest is not null && latest with { Version = rubric.Version } == rubric)
            {
                rubrics.Add(latest);
                continue;
            }

            var next = rubric with { Version = (latest?.Version ?? 0) + 1 };
            changes.Put(next);
            rubrics.Add(next);
        }

        changes.Put(Guard.Record(actor, "framework.import-case", request, true, $"{package.Rubrics.Count} rubrics, {imported.Warnings.Count} warnings", package.Id.ToString()));
        await Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        LogImported(_logger, package.Id, package.Framework.Skills.Count, rubrics.Count, imported.Warnings.Count);
        return imported with { Value = package with { Rubrics = rubrics.ToValueList() } };
    }

    /// <summary>Exports a framework's current version (or its draft, when unpublished) and the given rubric versions as a CASE 1.1 CFPackage.</summary>
    /// <param name="id">The framework.</param>
    /// <param name="rubrics">The rubric versions to include.</param>
    /// <param name="options">Export options; the last-change time defaults to the version's publication time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The CFPackage JSON.</returns>
    public async Task<string> ExportCaseAsync(FrameworkId id, IEnumerable<RubricRef> rubrics, Case.CaseExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rubrics);
        var framework = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var content = framework.Current?.Content ?? framework.Draft ?? throw new BackpackValidationException("$.framework", "framework.content", $"Framework {id} has no content.");
        var list = new List<Rubric>();
        foreach (var r in rubrics)
        {
            list.Add(await GetRubricAsync(r, cancellationToken).ConfigureAwait(false));
        }

        options ??= new Case.CaseExportOptions();
        if (options.LastChangeDateTime is null && content.LastChangeDateTime is null)
        {
            options = options with { LastChangeDateTime = framework.Current?.PublishedAt ?? _context.Clock.GetUtcNow() };
        }

        return Case.CaseJson.Export(new Case.CasePackage(id, content, list.ToValueList()), options);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CASE package imported as framework {FrameworkId}: {Skills} skills, {Rubrics} rubrics, {Warnings} warnings.")]
    private static partial void LogImported(ILogger logger, FrameworkId frameworkId, int skills, int rubrics, int warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework {FrameworkId} published as version {Version}.")]
    private static partial void LogPublished(ILogger logger, FrameworkId frameworkId, int version);
}
