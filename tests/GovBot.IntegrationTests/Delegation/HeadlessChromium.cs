using Microsoft.Playwright;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// Debian's chromium driven by Playwright, never a downloaded browser. Each session gets a fresh profile folder.
/// A missing browser fails at once with what to install, rather than a driver timeout.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Debian's chromium; GOVBOT_CHROMIUM overrides it (also how the missing-browser message is checked).</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("GOVBOT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static async Task<HeadlessChromium> LaunchAsync(int width = 1280, int height = 900)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {ExecutablePath}, which is missing. Install it with `apt-get install chromium` (.ci/run does); GovBot never downloads a browser.");

        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("govbot-chromium-").FullName;
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Args,
                Timeout = 30_000,
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Locale = "en-US",
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(20_000);
            return new HeadlessChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>tests/GovBot.IntegrationTests/artifacts/ (gitignored): screenshots for a human to look at.</summary>
    public static string ArtifactPath(string fileName)
    {
        var folder = Path.Combine(TestPaths.IntegrationTestsDir, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be flushing its profile; a temp folder left behind is harmless.
        }
    }
}
