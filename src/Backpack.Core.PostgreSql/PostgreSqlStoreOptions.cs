namespace Backpack.Core.PostgreSql;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The Npgsql connection string, e.g. <c>Host=db;Database=backpack;Username=backpack</c>. Tables live in the connection's search path.</summary>
    public string ConnectionString { get; set; } = string.Empty;
}
