using Google.Apis.Services;

namespace Backpack.Core.Google.Drive.Api;

/// <summary>
/// The Drive v3 service on Google.Apis core, built the way the generated package is: the real Google.Apis
/// pipeline (auth, retries, batch, error parsing) runs against Google or the emulator (through
/// <c>Initializer.BaseUri</c>).
/// </summary>
internal sealed class DriveService : BaseClientService
{
    public const string DefaultBaseUri = "https://www.googleapis.com/drive/v3/";
    public const string DefaultBatchUri = "https://www.googleapis.com/batch/drive/v3";

    public DriveService(Initializer initializer, string? batchUri)
        : base(initializer)
    {
        ExplicitBatchUri = batchUri ?? DefaultBatchUri;
    }

    /// <summary>The batch endpoint: with a base-URI override it is not redirected, so it is passed explicitly.</summary>
    public string ExplicitBatchUri { get; }

    public override string Name => "drive";

    public override string BaseUri => BaseUriOverride ?? DefaultBaseUri;

    public override string BasePath => "drive/v3/";

    public override string BatchUri => ExplicitBatchUri;

    public override string BatchPath => "batch/drive/v3";

    public override IList<string> Features => [];
}
