using Google.Apis.Services;

namespace Backpack.Core.Google.Classroom.Api;

/// <summary>
/// The Classroom v1 service on Google.Apis core, built the way the generated packages are: REST paths start with
/// <c>v1/</c> under the root <c>https://classroom.googleapis.com/</c>; a base URI override (the emulator) redirects
/// every request, and the batch URI must be passed explicitly with it.
/// </summary>
internal sealed class ClassroomService : BaseClientService
{
    public const string DefaultBaseUri = "https://classroom.googleapis.com/";

    private readonly string batchUri;

    public ClassroomService(Initializer initializer, string? batchUri = null)
        : base(initializer)
    {
        this.batchUri = batchUri ?? (initializer.BaseUri is null ? DefaultBaseUri + "batch" : initializer.BaseUri.TrimEnd('/') + "/batch");
    }

    public override string Name => "classroom";

    public override string BaseUri => BaseUriOverride ?? DefaultBaseUri;

    public override string BasePath => string.Empty;

    public override string BatchUri => batchUri;

    public override string BatchPath => "batch";

    public override IList<string> Features => [];
}
