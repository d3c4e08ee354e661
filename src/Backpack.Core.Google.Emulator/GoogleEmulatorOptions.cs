using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Emulator;

/// <summary>Settings for a <see cref="GoogleEmulator"/> instance.</summary>
public sealed class GoogleEmulatorOptions
{
    /// <summary>
    /// The TCP port to listen on at 127.0.0.1. Zero (the default) picks a free port; read the chosen one
    /// from <see cref="GoogleEmulator.BaseUri"/>.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// The clock used for timestamps, quota windows, permission expirations and injected delays.
    /// Defaults to <see cref="TimeProvider.System"/>; tests can pass a fake clock.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Seed for generated identifiers (file ids, permission ids, upload sessions), so that two runs with the same
    /// requests produce the same ids. Fault injection has its own seed in <see cref="FaultOptions.Seed"/>.
    /// </summary>
    public int Seed { get; set; } = 1;

    /// <summary>Per-minute quotas emulated for Drive v3. Unlimited by default.</summary>
    public QuotaOptions DriveQuota { get; set; } = new();

    /// <summary>Per-minute quotas emulated for Classroom v1. Unlimited by default.</summary>
    public QuotaOptions ClassroomQuota { get; set; } = new();

    /// <summary>Fault injection applied from the start. None by default; change later with <see cref="GoogleEmulator.SetFaults"/>.</summary>
    public FaultOptions? Faults { get; set; }

    /// <summary>Optional logger factory for the emulator and its Kestrel server. Logging is off when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
