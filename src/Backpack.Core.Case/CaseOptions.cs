using Backpack.Core.Rubrics;

namespace Backpack.Core.Case;

/// <summary>How <see cref="CaseJson"/> reads a CFPackage.</summary>
public sealed record CaseImportOptions
{
    /// <summary>The default options.</summary>
    public static CaseImportOptions Default { get; } = new();

    /// <summary>
    /// The name of the level (CASE quality, compared case-insensitively) that becomes a rubric's
    /// <see cref="Rubric.MeetsLevel"/> when every criterion has it; <c>Ready</c> by default. CASE has no field
    /// for the bar, so a rubric without such a level takes, from its first criterion, the lowest level in the
    /// upper half (position order) whose name every criterion has, with a warning.
    /// </summary>
    public string MeetsLevel { get; init; } = "Ready";
}

/// <summary>How <see cref="CaseJson"/> writes a CFPackage.</summary>
public sealed record CaseExportOptions
{
    /// <summary>
    /// The base of generated <c>uri</c>s, e.g. <c>https://case.example.org/ims/case/v1p0/</c>; a node
    /// <c>X</c> of type <c>CFItems</c> gets <c>{BaseUri}CFItems/X</c>. Nodes that carry their own URI keep it.
    /// When <see langword="null"/>, the base is taken from the framework's URI when it has the
    /// <c>.../CFDocuments/{identifier}</c> form, else generated URIs are <c>urn:uuid:{identifier}</c>.
    /// </summary>
    public Uri? BaseUri { get; init; }

    /// <summary>
    /// The time written as <c>lastChangeDateTime</c> on the document and on every node that carries no time
    /// of its own. When <see langword="null"/>, the framework's <see cref="FrameworkContent.LastChangeDateTime"/>
    /// is used; one of the two is required.
    /// </summary>
    public DateTimeOffset? LastChangeDateTime { get; init; }
}
