global using Backpack.Core.Students;
