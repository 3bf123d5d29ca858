using GovBot.Treasury;
using Xunit.Abstractions;

namespace GovBot.Tests.Treasury;

public sealed class CorpusRiskTests(ITestOutputHelper output)
{
    private const string EnsTimelock = "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7";
    private readonly ActionDecoder _decoder = new();
    private readonly RiskAssessor _assessor = new();

    [Fact]
    public void Corpus_RaisesNoDescriptionMismatch_OnProposalsJudgedConsistent()
    {
        var mismatched = 0;
        foreach (var id in Corpus.ProposalIdsWithCalldata)
        {
            var flags = _assessor.Assess(_decoder.Decode(Corpus.Actions(id), EnsTimelock), Corpus.Description(id));
            output.WriteLine($"== {id}");
            foreach (var flag in flags)
                output.WriteLine($"   {flag.Severity} {flag.Code}: {flag.Reason}");
            if (flags.Any(f => f.Code.StartsWith("DESCRIPTION_", StringComparison.Ordinal) || f.Code.StartsWith("TRANSFER_", StringComparison.Ordinal)))
                mismatched++;
        }
        output.WriteLine($"proposals with a mismatch flag: {mismatched} of {Corpus.ProposalIdsWithCalldata.Count}");
        // Every corpus proposal was read by hand: the text and the calldata agree. A naive matcher flagged 5 of them
        // (background figures, split grants, per-second stream rates, a residual balance, "$" amounts); this pins that.
        Assert.Equal(0, mismatched);
        Assert.Contains(_assessor.Assess(_decoder.Decode(Corpus.Actions("ens-ep-5-22"))), f => f.Code == RiskCodes.UnlimitedApproval);
        Assert.Contains(_assessor.Assess(_decoder.Decode(Corpus.Actions("ens-ep-5-27"))), f => f.Code == RiskCodes.AdminChange);
    }
}
