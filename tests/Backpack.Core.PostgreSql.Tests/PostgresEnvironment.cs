namespace Backpack.Core.PostgreSql.Tests;

/// <summary>
/// Where the PostgreSQL tests find their server. Test classes that need it carry
/// <c>[StoreServer(PostgresEnvironment.Variable, PostgresEnvironment.SkipReason)]</c>: their store facts and theories
/// are skipped (with the reason) when <c>BACKPACK_TEST_POSTGRES</c> is not set, and fail when it is set and the
/// server cannot be reached.
/// </summary>
internal static class PostgresEnvironment
{
    public const string Variable = "BACKPACK_TEST_POSTGRES";

    public const string SkipReason = "BACKPACK_TEST_POSTGRES is not set: start a server with eng/postgres.sh start and export its connection string to run the PostgreSQL tests.";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;
}
