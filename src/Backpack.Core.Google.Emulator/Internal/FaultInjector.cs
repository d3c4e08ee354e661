namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>Decides, reproducibly, which method calls get which fault.</summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> callsPerMethod = new(StringComparer.Ordinal);
    private FaultOptions? options;
    private List<FaultKind> kinds = [];
    private Random random = new(0);

    public FaultInjector(FaultOptions? options) => Configure(options);

    public TimeSpan Delay { get; private set; } = TimeSpan.FromSeconds(2);

    public void Configure(FaultOptions? faults)
    {
        lock (gate)
        {
            if (faults is not null && (double.IsNaN(faults.Rate) || faults.Rate < 0 || faults.Rate > 1))
            {
                throw new ArgumentOutOfRangeException(nameof(faults), faults.Rate, "Fault rate must be within [0, 1].");
            }

            if (faults is not null && faults.Delay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(faults), faults.Delay, "Fault delay must not be negative.");
            }

            options = faults;
            kinds = faults is null ? [] : (faults.Kinds.Count > 0 ? faults.Kinds.ToList() : FaultOptions.DefaultKinds.ToList());
            Delay = faults?.Delay ?? TimeSpan.FromSeconds(2);
            Restart();
        }
    }

    public void Restart()
    {
        lock (gate)
        {
#pragma warning disable CA5394 // Reproducible fault schedule, not security relevant.
            random = new Random(options?.Seed ?? 0);
#pragma warning restore CA5394
            callsPerMethod.Clear();
        }
    }

    /// <summary>A seed for mutating one body, drawn from the fault sequence so the same seed gives the same bodies.</summary>
    public int NextMutationSeed()
    {
        lock (gate)
        {
#pragma warning disable CA5394 // Reproducible fault schedule, not security relevant.
            return random.Next();
#pragma warning restore CA5394
        }
    }

    public FaultKind? Decide(string methodId)
    {
        lock (gate)
        {
            if (options is null)
            {
                return null;
            }

            var n = callsPerMethod.TryGetValue(methodId, out var c) ? c + 1 : 1;
            callsPerMethod[methodId] = n;
            foreach (var scheduled in options.Schedule)
            {
                if (scheduled.Occurrence == n && string.Equals(scheduled.MethodName, methodId, StringComparison.Ordinal))
                {
                    return scheduled.Kind;
                }
            }

            if (options.Rate <= 0 || kinds.Count == 0 || (options.Methods.Count > 0 && !options.Methods.Contains(methodId)))
            {
                return null;
            }

#pragma warning disable CA5394 // Reproducible fault schedule, not security relevant.
            return random.NextDouble() < options.Rate ? kinds[random.Next(kinds.Count)] : null;
#pragma warning restore CA5394
        }
    }
}
