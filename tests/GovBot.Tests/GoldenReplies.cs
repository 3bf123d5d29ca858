using GovBot.Chat;

namespace GovBot.Tests;

/// <summary>The one sample proposal reply every surface's golden rendering is made from.</summary>
public static class GoldenReplies
{
    public static ChatReply SampleProposal() => new(
        "#42 [EP 6.1] Fund the *Meta-Governance* working group",
        "Requests 100,000 USDC for Q3 operations.\n• Transfer 100000 USDC to the WG multisig\n• Renew the @everyone stewards' term\nForum: see <https://discuss.ens.domains/t/ep-6-1>")
    {
        Facts =
        [
            new ChatFact("State", "Active"),
            new ChatFact("For", "1,234,567.89 ENS (82.1%)"),
            new ChatFact("Against", "269,000 ENS (17.9%)"),
            new ChatFact("Quorum", "1,000,000 ENS — reached"),
            new ChatFact("Ends", "block 21,000,000 (~2 days)", Inline: false),
        ],
        Links =
        [
            new ChatLink("Tally", "https://www.tally.xyz/gov/ens/proposal/42"),
            new ChatLink("Etherscan", "https://etherscan.io/address/0x323A76393544d5ecca80cd6ef2A560C6a395b7E3"),
        ],
        Footer = "Source: ENS governor 0x323A…7E3 · block 20,999,000",
        Image = new ChatImage("tally.png", [0x89, 0x50]),
    };
}
