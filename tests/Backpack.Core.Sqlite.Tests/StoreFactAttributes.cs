namespace Backpack.Core.StoreContract;

/// <summary>A contract fact; SQLite needs nothing external, so it always runs.</summary>
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A contract theory; always runs on SQLite.</summary>
public sealed class StoreTheoryAttribute : TheoryAttribute;
