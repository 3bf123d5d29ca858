using System.Numerics;
using GovBot.Chain;
using GovBot.Chat;
using GovBot.Governance;
using ScottPlot;

namespace GovBot.Digests;

/// <summary>
/// For/against/abstain bars with the quorum as a dashed line, as a PNG (ScottPlot on SkiaSharp; the Linux native
/// library ships in SkiaSharp.NativeAssets.Linux.NoDependencies, so it renders without system packages).
/// </summary>
public static class VoteChart
{
    public const int Width = 640;
    public const int Height = 360;

    public static ChatImage Render(ProposalView view, GovernorProfile profile)
    {
        var values = new[] { view.Tally.For, view.Tally.Against, view.Tally.Abstain }.Select(v => ToUnits(v, profile.TokenDecimals)).ToArray();
        var quorum = ToUnits(view.Quorum, profile.TokenDecimals);

        var plot = new Plot();
        var colors = new[] { Color.FromHex("#2E7D32"), Color.FromHex("#C62828"), Color.FromHex("#757575") };
        var bars = values.Select((v, i) => new Bar { Position = i, Value = v, FillColor = colors[i] }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([0, 1, 2], ["For", "Against", "Abstain"]);
        plot.Axes.Margins(bottom: 0);
        if (quorum > 0)
        {
            var line = plot.Add.HorizontalLine(quorum);
            line.LinePattern = LinePattern.Dashed;
            line.LineColor = Color.FromHex("#1565C0");
            line.LineWidth = 2;
            line.Text = "quorum";
            var top = Math.Max(values.Max(), quorum) * 1.15;
            plot.Axes.SetLimitsY(0, top);
        }

        plot.YLabel(profile.TokenSymbol);
        plot.Title(Clip(view.Title, 60));
        var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        return new ChatImage($"votes-{GovernanceService.ShortId(view.Id).Replace("…", "-", StringComparison.Ordinal)}.png", png);
    }

    private static double ToUnits(BigInteger baseUnits, int decimals) => (double)baseUnits / Math.Pow(10, decimals);

    private static string Clip(string text, int max)
    {
        var clean = ProposalText.StripControl(text).ReplaceLineEndings(" ");
        return clean.Length <= max ? clean : clean[..(max - 1)] + "…";
    }
}
