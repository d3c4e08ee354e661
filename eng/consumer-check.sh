#!/usr/bin/env bash
# The consumer check: packs every package of the solution into a local folder, creates a fresh console app
# OUTSIDE the repository that references the Backpack packages from that folder only (other packages restore
# from this machine's usual feed; no feed address is written anywhere), then builds and runs it: an embedding
# story like a district app's (eng/consumer/Story.cs) and every C# block of the README as written
# (eng/consumer/readme_blocks.py). Exit code 0 when the app built and every check passed.
#
# Usage: eng/consumer-check.sh [WORK_DIR]   (needs a Release build of the solution: dotnet build -c Release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/backpack-consumer.XXXXXX")}
case "$work" in "$root"/*) echo "consumer-check: the work folder must be outside the repository" >&2; exit 2 ;; esac
# A version no feed has, new on every run, so the app can only get these packages from the local folder.
version="0.0.0-consumer.$(date -u +%Y%m%d%H%M%S).$$"
pkgs="$work/packages"
app="$work/app"
rm -rf "$pkgs" "$app"
mkdir -p "$pkgs" "$app"

echo "consumer-check: packing $version into $pkgs"
dotnet pack "$root/Backpack.Core.sln" -c Release --no-build -o "$pkgs" -p:PackageVersion="$version" -v quiet -nologo >"$work/pack.log" 2>&1 \
  || { tail -30 "$work/pack.log" >&2; exit 1; }

refs=""
for id in Backpack.Core Backpack.Core.Case Backpack.Core.OneRoster Backpack.Core.Relational Backpack.Core.Sqlite Backpack.Core.PostgreSql Backpack.Core.Google Backpack.Core.Google.Emulator Backpack.Core.Credentials Backpack.Core.Testing; do
  [ -f "$pkgs/$id.$version.nupkg" ] || { echo "consumer-check: $id.$version.nupkg was not packed" >&2; exit 1; }
  refs+="    <PackageReference Include=\"$id\" Version=\"[$version]\" />"$'\n'
done

cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="backpack-local" value="$pkgs" />
  </packageSources>
</configuration>
XML
cat >"$app/DistrictApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>Consumer</RootNamespace>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);CS1998</NoWarn>
  </PropertyGroup>
  <ItemGroup>
$refs  </ItemGroup>
</Project>
XML
cp "$root/eng/consumer/Story.cs" "$app/"
python3 "$root/eng/consumer/readme_blocks.py" "$root/README.md" "$root/eng/consumer/readme-preludes.cs.txt" "$app/Readme"

echo "consumer-check: building $app against the packages only"
(cd "$app" && dotnet build -c Release -nologo -v quiet >"$work/build.log" 2>&1) \
  || { grep -E "error|warn" "$work/build.log" | sort -u | head -40 >&2; exit 1; }
echo "consumer-check: running the district app"
(cd "$app" && dotnet bin/Release/net10.0/DistrictApp.dll)
