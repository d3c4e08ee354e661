using Backpack.Core.Artifacts;
using Backpack.Core.Serialization;
using Backpack.Core.Students;

namespace Backpack.Core.Tests;

public sealed class SerializationTests
{
    [Fact]
    public void Serialize_Artifact_RoundTripsWithCamelCaseAndKind()
    {
        var artifact = new Artifact(
            ArtifactId.New(), StudentId.New(), "Water cycle poster", new DriveFileSource("file-1", "image/png"),
            new CaptureContext(new SchoolYear(2025), GradeLevel.Grade(5), SchoolId.New(), "Science"),
            CurationState.Collected, new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.Zero))
        {
            Alignments = [new SkillAlignment(SkillId.New(), "I explained it to my class")],
        };

        var json = BackpackJson.Serialize(artifact);
        var back = BackpackJson.Deserialize<Artifact>(json);

        Assert.Equal(artifact, back);
        Assert.Contains("\"kind\":\"driveFile\"", json, StringComparison.Ordinal);
        Assert.Contains("\"year\":\"2025-26\"", json, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"Collected\"", json, StringComparison.Ordinal);
    }
}
