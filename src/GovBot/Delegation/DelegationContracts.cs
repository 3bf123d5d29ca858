using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace GovBot.Delegation;

/// <summary>ERC20Votes / COMP delegateBySig: the only function the relayer ever signs a transaction for.</summary>
[Function("delegateBySig")]
public sealed class DelegateBySigFunction : FunctionMessage
{
    [Parameter("address", "delegatee", 1)] public string Delegatee { get; set; } = "";
    [Parameter("uint256", "nonce", 2)] public BigInteger DelegationNonce { get; set; }
    [Parameter("uint256", "expiry", 3)] public BigInteger Expiry { get; set; }
    [Parameter("uint8", "v", 4)] public byte V { get; set; }
    [Parameter("bytes32", "r", 5)] public byte[] R { get; set; } = [];
    [Parameter("bytes32", "s", 6)] public byte[] S { get; set; } = [];
}

[Function("nonces", "uint256")]
public sealed class NoncesFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)] public string Owner { get; set; } = "";
}

/// <summary>ERC-5267.</summary>
[Function("eip712Domain", typeof(Eip712DomainOutput))]
public sealed class Eip712DomainFunction : FunctionMessage;

[FunctionOutput]
public sealed class Eip712DomainOutput : IFunctionOutputDTO
{
    [Parameter("bytes1", "fields", 1)] public byte[] Fields { get; set; } = [];
    [Parameter("string", "name", 2)] public string Name { get; set; } = "";
    [Parameter("string", "version", 3)] public string Version { get; set; } = "";
    [Parameter("uint256", "chainId", 4)] public BigInteger ChainId { get; set; }
    [Parameter("address", "verifyingContract", 5)] public string VerifyingContract { get; set; } = "";
    [Parameter("bytes32", "salt", 6)] public byte[] Salt { get; set; } = [];
    [Parameter("uint256[]", "extensions", 7)] public List<BigInteger> Extensions { get; set; } = [];
}
