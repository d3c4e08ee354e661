using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Scope = "namespace",
    Target = "~N:Backpack.Core.Case",
    Justification = "CASE is the standard's name (1EdTech Competencies and Academic Standards Exchange); VB users can write [Case].")]
