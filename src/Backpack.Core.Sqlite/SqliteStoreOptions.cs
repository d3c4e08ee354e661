namespace Backpack.Core.Sqlite;

/// <summary>Settings of the SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=backpack.db</c>. The file is created on first use.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>How long a statement waits for another writer's lock before failing with a transient error (default 30 seconds).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
