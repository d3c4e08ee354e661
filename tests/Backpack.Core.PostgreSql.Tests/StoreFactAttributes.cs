namespace Backpack.Core.StoreContract;

/// <summary>Where the PostgreSQL tests find their server.</summary>
internal static class PostgresEnvironment
{
    public const string Variable = "BACKPACK_TEST_POSTGRES";

    public const string SkipReason = "BACKPACK_TEST_POSTGRES is not set: start a server with eng/postgres.sh start and export its connection string to run the PostgreSQL tests.";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;
}

/// <summary>A fact that needs PostgreSQL: skipped (with the reason) when <c>BACKPACK_TEST_POSTGRES</c> is not set; fails when it is set and the server cannot be reached.</summary>
public sealed class StoreFactAttribute : FactAttribute
{
    public StoreFactAttribute()
    {
        if (PostgresEnvironment.ConnectionString is null)
        {
            Skip = PostgresEnvironment.SkipReason;
        }
    }
}

/// <summary>A theory that needs PostgreSQL (see <see cref="StoreFactAttribute"/>).</summary>
public sealed class StoreTheoryAttribute : TheoryAttribute
{
    public StoreTheoryAttribute()
    {
        if (PostgresEnvironment.ConnectionString is null)
        {
            Skip = PostgresEnvironment.SkipReason;
        }
    }
}
