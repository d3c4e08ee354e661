global using Backpack.Core.Frameworks;
