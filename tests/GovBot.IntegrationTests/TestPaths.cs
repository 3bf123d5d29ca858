namespace GovBot.IntegrationTests;

internal static class TestPaths
{
    /// <summary>The tests/GovBot.IntegrationTests source folder, found from the test assembly's location.</summary>
    public static string IntegrationTestsDir { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GovBot.IntegrationTests.csproj")))
                return dir.FullName;
        }
        throw new InvalidOperationException("GovBot.IntegrationTests.csproj not found above " + AppContext.BaseDirectory);
    }
}
