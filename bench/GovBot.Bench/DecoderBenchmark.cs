using System.Diagnostics;
using System.Globalization;
using GovBot.Treasury;

namespace GovBot.Bench;

/// <summary>Action-decoder throughput over every calldata in ../shared/corpus (decoding plus risk assessment).</summary>
public static class DecoderBenchmark
{
    public static async Task RunAsync(string command)
    {
        var proposals = CorpusProposal.Load().Where(p => p.Actions.Count > 0).ToList();
        var decoder = new ActionDecoder();
        var risk = new RiskAssessor();
        var actionCount = proposals.Sum(p => p.Actions.Count);

        for (var i = 0; i < 20; i++)
            Pass();
        var passes = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            Pass();
            passes++;
        }

        stopwatch.Stop();
        var perSecond = passes * actionCount / stopwatch.Elapsed.TotalSeconds;
        var perProposalMs = stopwatch.Elapsed.TotalMilliseconds / (passes * proposals.Count);
        await BenchResults.WriteAsync("decoder", command, $"""
            | corpus | proposals | top-level actions | passes | actions decoded per second | ms per proposal (decode + risk) |
            |---|---|---|---|---|---|
            | ../shared/corpus | {proposals.Count} | {actionCount} | {passes} | {perSecond.ToString("N0", CultureInfo.InvariantCulture)} | {perProposalMs.ToString("0.000", CultureInfo.InvariantCulture)} |

            """);

        void Pass()
        {
            foreach (var proposal in proposals)
                risk.Assess(decoder.Decode(proposal.Actions, "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7"), proposal.Description);
        }
    }
}
