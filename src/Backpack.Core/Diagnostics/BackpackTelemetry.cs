namespace Backpack.Core.Diagnostics;

/// <summary>
/// The names under which Backpack.Core reports traces and metrics. Add them to an OpenTelemetry setup, e.g.
/// <c>tracing.AddSource(BackpackTelemetry.ActivitySourceName)</c> and <c>metrics.AddMeter(BackpackTelemetry.MeterName)</c>.
/// Tags carry ids, roles, operation names, outcomes and error codes only: never names, emails or student text.
/// </summary>
public static class BackpackTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of service operations, outbox entries and Google calls.</summary>
    public const string ActivitySourceName = "Backpack.Core";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of operation, store, outbox and Google instruments.</summary>
    public const string MeterName = "Backpack.Core";
}
