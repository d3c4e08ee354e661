namespace Backpack.Core.Case;

/// <summary>
/// Reads and writes CASE 1.1 (1EdTech Competencies and Academic Standards Exchange) CFPackage JSON.
/// </summary>
/// <remarks>
/// <para>
/// Import maps the CFDocument to the framework; the items that are children (isChildOf) of the document to
/// skills, ordered by sequenceNumber and then by their place in CFItems; and every deeper descendant of a
/// skill to an indicator of that skill, depth first, with <see cref="Indicator.Parent"/> naming its parent
/// when it sits under another indicator. An indicator's educationLevel (e.g. 06, 07, 08) becomes its grade
/// band (6-8); without one it applies to every grade. Items under no parent are read as skills, with a
/// warning. Every other association (exactMatchOf, isRelatedTo, exemplar, ext:..., links to other
/// frameworks, further parents of an item) is kept in <see cref="FrameworkContent.Associations"/> and
/// written again on export. CFRubrics become rubrics (version 1); see
/// <see cref="CaseImportOptions.MeetsLevel"/> for the bar. CASE 1.0 packages (no caseVersion, no CFRubrics)
/// are read alike, and identifiers without UUID version or variant bits are accepted with a warning.
/// </para>
/// <para>
/// Export writes the isChildOf associations with sequence numbers and name-based identifiers, so that the
/// same package always gives the same bytes and re-importing gives the same package back. Times are
/// written in UTC. Nodes without a URI get one from <see cref="CaseExportOptions.BaseUri"/>.
/// </para>
/// <para>
/// Not carried by CASE, so not exported: a skill's <see cref="Skill.RetiredFrom"/>, a criterion's
/// <see cref="Rubrics.RubricCriterion.DefenseDimension"/>, a rubric's version and meets level (re-derived on
/// import). Not kept on import: CFDefinitions, association groupings, conceptKeywords, listEnumeration,
/// status dates, frameworkType and extensions, and the identifiers and sequence numbers of isChildOf
/// associations (the hierarchy is rebuilt from the tree with positions 1, 2, 3...).
/// </para>
/// </remarks>
public static class CaseJson
{
    /// <summary>Reads a CFPackage with the default options.</summary>
    /// <param name="json">The CFPackage JSON.</param>
    /// <returns>The package and what was accepted with a warning.</returns>
    /// <exception cref="BackpackValidationException">The JSON is malformed or breaks a rule; every problem is listed with its JSON path.</exception>
    public static ImportResult<FrameworkPackage> Import(string json) => Import(json, CaseImportOptions.Default);

    /// <summary>Reads a CFPackage from UTF-8 JSON with the default options.</summary>
    /// <param name="utf8Json">The stream of UTF-8 CFPackage JSON; read to its end, not closed.</param>
    /// <returns>The package and what was accepted with a warning.</returns>
    /// <exception cref="BackpackValidationException">The JSON is malformed or breaks a rule; every problem is listed with its JSON path.</exception>
    public static ImportResult<FrameworkPackage> Import(Stream utf8Json) => Import(utf8Json, CaseImportOptions.Default);

    /// <summary>Reads a CFPackage.</summary>
    /// <param name="json">The CFPackage JSON.</param>
    /// <param name="options">How to read it.</param>
    /// <returns>The package and what was accepted with a warning.</returns>
    /// <exception cref="BackpackValidationException">
    /// The JSON is malformed or breaks a rule (missing or mistyped fields, identifiers that are not UUIDs or are
    /// used twice, a cycle or an unknown parent in the isChildOf hierarchy, a rubric whose levels are
    /// duplicated or out of order); every problem found is listed with its JSON path.
    /// </exception>
    public static ImportResult<FrameworkPackage> Import(string json, CaseImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(options);
        var utf8 = CaseFormat.ToUtf8(json)
            ?? throw new BackpackValidationException("$", "case.json.encoding", "The CFPackage text holds lone surrogates (invalid UTF-16).");
        return CaseReader.Read(utf8, options);
    }

    /// <summary>Reads a CFPackage from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream of UTF-8 CFPackage JSON; read to its end, not closed.</param>
    /// <param name="options">How to read it.</param>
    /// <returns>The package and what was accepted with a warning.</returns>
    /// <exception cref="BackpackValidationException">The JSON is malformed or breaks a rule; every problem is listed.</exception>
    public static ImportResult<FrameworkPackage> Import(Stream utf8Json, CaseImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(options);
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return CaseReader.Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options);
    }

    /// <summary>Writes a CASE 1.1 CFPackage (indented, <c>\n</c> line ends, non-ASCII escaped).</summary>
    /// <param name="package">The package.</param>
    /// <param name="options">Base URI for generated URIs and the time to stamp; see <see cref="CaseExportOptions"/>.</param>
    /// <returns>The CFPackage JSON; the same package and options always give the same text.</returns>
    /// <exception cref="BackpackValidationException">
    /// The package breaks a rule of its framework or rubrics, or no lastChangeDateTime is known.
    /// </exception>
    public static string Export(FrameworkPackage package, CaseExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        return CaseWriter.Write(package, options ?? new CaseExportOptions());
    }
}
