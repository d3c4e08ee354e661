namespace Backpack.Core.Google.Emulator;

/// <summary>A fault injected into the Nth call of one method, whatever the random rate says.</summary>
/// <param name="MethodName">The discovery method id, for example <c>drive.files.create</c>.</param>
/// <param name="Occurrence">Which call of that method fails, counted from 1 since the faults were set.</param>
/// <param name="Kind">The fault to inject.</param>
public sealed record ScheduledFault(string MethodName, int Occurrence, FaultKind Kind);
