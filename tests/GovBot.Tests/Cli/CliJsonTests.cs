using System.Text.Json;
using GovBot.Cli;

namespace GovBot.Tests.Cli;

public sealed class CliJsonTests
{
    [Fact]
    public void Apostrophes_AndNonAsciiText_AreWrittenAsIs_AndStillRoundTrip()
    {
        const string reason = "Moves 2,000,000 USDC, about 205% of the treasury's balance → \"quoted\" ≈ ✅";
        var json = JsonSerializer.Serialize(new { reason }, CliJson.Options);
        Assert.Contains("treasury's balance → \\\"quoted\\\" ≈ ✅", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(reason, document.RootElement.GetProperty("reason").GetString());
    }
}
