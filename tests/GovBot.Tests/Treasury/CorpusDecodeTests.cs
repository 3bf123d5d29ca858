using System.Numerics;
using System.Text.Json;
using GovBot.Treasury;
using Xunit.Abstractions;

namespace GovBot.Tests.Treasury;

public sealed class CorpusDecodeTests(ITestOutputHelper output)
{
    private const string EnsTimelock = "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7";
    private const string EnsEndowmentSafe = "0x4f2083f5fbede34c2714affb3105539775f7fe64";
    private readonly ActionDecoder _decoder = new();

    [Fact]
    public void EveryCorpusAction_DecodesToAKnownFunction_WithASummary()
    {
        int totalTop = 0, totalAll = 0, totalKnown = 0, totalUnknown = 0, totalUndecodable = 0;
        output.WriteLine($"{"proposal",-28} {"top",4} {"all",5} {"known",6} {"unknown",8} {"undecodable",12}");
        foreach (var id in Corpus.ProposalIdsWithCalldata)
        {
            var decoded = _decoder.Decode(Corpus.Actions(id), EnsTimelock);
            var all = decoded.SelectMany(a => a.SelfAndDescendants()).ToArray();
            Assert.All(all, a => Assert.False(string.IsNullOrWhiteSpace(a.Summary)));
            Assert.All(all, a => Assert.DoesNotContain('\n', a.Summary));
            var known = all.Count(a => a.IsKnownFunction);
            var unknown = all.Count(a => a.Kind == DecodedActionKind.UnknownFunction);
            var undecodable = all.Count(a => a.Kind == DecodedActionKind.Undecodable);
            output.WriteLine($"{id,-28} {decoded.Count,4} {all.Length,5} {known,6} {unknown,8} {undecodable,12}");
            foreach (var action in all.Where(a => !a.IsKnownFunction))
                output.WriteLine($"    {action.Summary}");
            totalTop += decoded.Count;
            totalAll += all.Length;
            totalKnown += known;
            totalUnknown += unknown;
            totalUndecodable += undecodable;
        }
        output.WriteLine($"{"total",-28} {totalTop,4} {totalAll,5} {totalKnown,6} {totalUnknown,8} {totalUndecodable,12}");

        Assert.Equal(30, Corpus.ProposalIdsWithCalldata.Count);
        Assert.Equal(0, totalUndecodable);
        Assert.True(totalKnown * 100 >= totalAll * 95, $"only {totalKnown} of {totalAll} actions decode to known functions");
    }

    [Fact]
    public void Ep6_8_MultiSendInsideSafe_MatchesTheHumanDecoding()
    {
        var action = Assert.Single(_decoder.Decode(Corpus.Actions("ens-ep-6-8"), EnsTimelock));
        Assert.Equal(DecodedActionKind.Batch, action.Kind);
        Assert.Equal("execTransaction", action.FunctionName);
        var multiSend = Assert.Single(action.InnerActions);
        Assert.Equal("multiSend", multiSend.FunctionName);
        Assert.Equal(CallOperation.DelegateCall, multiSend.Operation);

        using var truth = JsonDocument.Parse(File.ReadAllText(Corpus.Path_("ens-ep-6-8", "decoded_transactions.json")));
        var expected = truth.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, multiSend.InnerActions.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var want = expected[i];
            var got = multiSend.InnerActions[i];
            var context = $"call {want.GetProperty("index").GetInt32()}";
            Assert.True(want.GetProperty("to").GetString()!.Equals(got.Target, StringComparison.OrdinalIgnoreCase), context);
            Assert.Equal((CallOperation)want.GetProperty("operation").GetInt32(), got.Operation);
            // The human decoding writes "post(string,string)" for the one call it left undecoded.
            var wantName = want.GetProperty("functionName").GetString()!;
            Assert.Equal(wantName.Split('(')[0], got.FunctionName);
            if (wantName.Contains('(', StringComparison.Ordinal))
                Assert.Equal(wantName, got.Signature);
            if (want.GetProperty("decoded").ValueKind != JsonValueKind.Object)
                continue;
            foreach (var field in want.GetProperty("decoded").EnumerateObject())
            {
                var argument = got.Argument(field.Name);
                Assert.True(argument is not null, $"{context}: no argument {field.Name}");
                AssertSameValue(field.Value, argument.Value, $"{context}.{field.Name}");
            }
        }
    }

    private static void AssertSameValue(JsonElement expected, object? actual, string context)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.String:
                // The human decoding writes empty bytes as "" and addresses checksummed.
                var text = expected.GetString()!;
                Assert.True(string.Equals(text.Length == 0 ? "0x" : text, (string)actual!, StringComparison.OrdinalIgnoreCase), $"{context}: {text} vs {actual}");
                break;
            case JsonValueKind.Number:
                Assert.Equal(BigInteger.Parse(expected.GetRawText(), System.Globalization.CultureInfo.InvariantCulture), (BigInteger)actual!);
                break;
            case JsonValueKind.Array:
                var list = (IReadOnlyList<object?>)actual!;
                var items = expected.EnumerateArray().ToArray();
                Assert.Equal(items.Length, list.Count);
                for (var i = 0; i < items.Length; i++)
                    AssertSameValue(items[i], list[i], $"{context}[{i}]");
                break;
            case JsonValueKind.Object:
                var tuple = (IReadOnlyList<DecodedArgument>)actual!;
                foreach (var field in expected.EnumerateObject())
                    AssertSameValue(field.Value, tuple.Single(f => f.Name == field.Name).Value, $"{context}.{field.Name}");
                break;
            default:
                throw new InvalidOperationException($"{context}: unexpected {expected.ValueKind}");
        }
    }

    [Fact]
    public void Ep5_16_UsdcTransfer_HasExactAmountAndRecipient()
    {
        var action = Assert.Single(_decoder.Decode(Corpus.Actions("ens-ep-5-16"), EnsTimelock));
        Assert.Equal(DecodedActionKind.TokenTransfer, action.Kind);
        var movement = Assert.Single(action.Movements);
        Assert.Equal("USDC", movement.Symbol);
        Assert.Equal(BigInteger.Parse("1218669760000"), movement.Amount);
        Assert.Equal("0x690f0581ececcf8389c223170778cd9d029606f2", movement.To);
        Assert.Equal(EnsTimelock, movement.From);
        Assert.Equal("Transfer 1,218,669.76 USDC to 0x690f0581ececcf8389c223170778cd9d029606f2", action.Summary);
    }

    [Fact]
    public void Ep5_23_TransfersUsdcAndEns_ToTheMetagovSafe()
    {
        var actions = _decoder.Decode(Corpus.Actions("ens-ep-5-23"), EnsTimelock);
        Assert.Equal(["100,000 USDC", "15,000 ENS"], actions.Select(a => a.Movements.Single().FormatAmount()));
        Assert.All(actions, a => Assert.Equal("0x91c32893216de3ea0a55abb9851f581d4503d39b", a.Movements.Single().To));
    }

    [Fact]
    public void Ep5_22_MaxApproval_IsUnlimited()
    {
        var movement = _decoder.Decode(Corpus.Actions("ens-ep-5-22"))[0].Movements.Single();
        Assert.Equal(MovementKind.Approval, movement.Kind);
        Assert.True(movement.IsUnlimited);
        Assert.Null(movement.From);
        Assert.Equal("0x05c8f60e24fcdd9b8ed7bb85df8164c41cb4da16", movement.To);
    }

    [Fact]
    public void Ep6_32_SafeTransfer_MovesUsdcFromTheSafeToTheTimelock()
    {
        var action = Assert.Single(_decoder.Decode(Corpus.Actions("ens-ep-6-32"), EnsTimelock));
        var inner = Assert.Single(action.InnerActions);
        Assert.Equal(CallOperation.Call, inner.Operation);
        var movement = Assert.Single(inner.Movements);
        Assert.Equal(EnsEndowmentSafe, movement.From);
        Assert.Equal(EnsTimelock, movement.To);
        Assert.Equal(2_500_000m * 1_000_000m, (decimal)movement.Amount);
    }

    [Fact]
    public void Ep6_2_AllowanceModule_ZeroTokenIsEth()
    {
        var actions = _decoder.Decode(Corpus.Actions("ens-ep-6-2"), EnsTimelock);
        Assert.Equal(DecodedActionKind.EthTransfer, actions[0].Kind);
        Assert.Equal("5,000 ETH", actions[0].Movements.Single().FormatAmount());
        var allowance = actions[1].InnerActions.Single().Movements.Single();
        Assert.Equal(TokenStandard.Native, allowance.Standard);
        Assert.Equal("30 ETH", allowance.FormatAmount());
        Assert.Equal("0x91c32893216de3ea0a55abb9851f581d4503d39b", allowance.To);
    }

    [Fact]
    public void Ep6_29_EthSendNextToUsdcTransfers()
    {
        var actions = _decoder.Decode(Corpus.Actions("ens-ep-6-29"), EnsTimelock);
        Assert.Equal(["379,000 USDC", "470,000 USDC", "110,000 USDC", "15 ETH"], actions.Select(a => a.Movements.Single().FormatAmount()));
    }

    [Fact]
    public void SecurityCouncil_GrantRole_NamesTheProposerRole()
    {
        var action = Assert.Single(_decoder.Decode(Corpus.Actions("ens-ep-new-security-council")));
        Assert.Equal(DecodedActionKind.RoleChange, action.Kind);
        Assert.Equal($"Grant PROPOSER_ROLE on {EnsTimelock} to 0x2acbf518b3759f6e1fa163294eda55bf1d0ae051", action.Summary);
    }

    [Fact]
    public void Ep5_29_HedgeyPlan_AndSuperfluidStream()
    {
        var actions = _decoder.Decode(Corpus.Actions("ens-ep-5-29"), EnsTimelock);
        var plan = actions[5].Movements.Single();
        Assert.Equal("24,000 ENS", plan.FormatAmount());
        Assert.Equal("0x64ca550f78d6cc711b247319cc71a04a166707ab", plan.To);
        Assert.Contains("≈ 1,200,000 USDCx a year", actions[2].Summary, StringComparison.Ordinal);
    }
}
