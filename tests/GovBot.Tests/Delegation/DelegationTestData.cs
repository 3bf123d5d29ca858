using System.Numerics;
using GovBot.Configuration;
using GovBot.Delegation;
using Nethereum.Signer;

namespace GovBot.Tests.Delegation;

internal static class DelegationTestData
{
    public const string Key = "base64:3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLw==";
    public const string OtherKey = "hex:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    public const string Token = "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72";
    public const string Delegatee = "0x983110309620d911731ac0932219af06091b6744";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static DaoOptions Ens => new()
    {
        Name = "ENS",
        ChainId = 1,
        Rpc = "http://127.0.0.1:8545",
        Governor = "0x323a76393544d5ecca80cd6ef2a560c6a395b7e3",
        Token = Token,
    };

    public static DelegationLinkSigner Signer(TimeProvider time, string key = Key, DaoOptions? dao = null, IEnumerable<string>? previousKeys = null) =>
        new(key, "https://govbot.example/", [dao ?? Ens], time, previousKeys: previousKeys);

    public static string Sign(EthECKey key, Eip712Domain domain, DelegationMessage message)
    {
        var signature = key.SignAndCalculateV(DelegationTypedData.Digest(domain, message));
        return EthECDSASignature.CreateStringSignature(signature);
    }

    public static BigInteger Big(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
