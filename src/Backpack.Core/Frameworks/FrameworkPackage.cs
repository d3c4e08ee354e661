using Backpack.Core.Rubrics;

namespace Backpack.Core.Frameworks;

/// <summary>
/// A framework's content and rubrics as one unit, the neutral form standard formats translate to and from
/// (CASE's CFPackage in the Backpack.Core.Case package). Import it with
/// <see cref="FrameworkService.ImportAsync(Access.Actor, FrameworkPackage, CancellationToken)"/>; read one with
/// <see cref="FrameworkService.GetPackageAsync(Access.Actor, FrameworkId, IEnumerable{RubricRef}, CancellationToken)"/>.
/// </summary>
/// <param name="Id">The framework id.</param>
/// <param name="Framework">The framework's content: skills, indicators and every other association.</param>
/// <param name="Rubrics">The rubric versions.</param>
public sealed record FrameworkPackage(FrameworkId Id, FrameworkContent Framework, ValueList<Rubric> Rubrics);
