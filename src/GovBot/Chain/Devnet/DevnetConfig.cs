using System.Text.Json.Nodes;

namespace GovBot.Chain.Devnet;

/// <summary>
/// The GovBot configuration for a seeded devnet: every devnet DAO with its treasury token, no confirmations (anvil
/// does not reorg on its own), and a fresh database. Used by `demo`, printed by `devnet --json`, and by the tests.
/// </summary>
public static class DevnetConfig
{
    public static JsonObject Build(IEnumerable<DevnetDao> daos, string databasePath, string webUrl, string linkSigningKey, string? relayerKey, string? rpcOverride = null) => new()
    {
        ["Storage"] = new JsonObject { ["ConnectionString"] = $"Data Source={databasePath}" },
        ["Daos"] = new JsonArray(daos.Select(d => (JsonNode)Dao(d, rpcOverride)).ToArray()),
        ["Llm"] = new JsonObject { ["Provider"] = "None" },
        ["Web"] = new JsonObject
        {
            ["Urls"] = webUrl,
            ["PublicBaseUrl"] = webUrl,
            ["LinkSigningKey"] = linkSigningKey,
        },
        ["Relayer"] = relayerKey is null ? new JsonObject() : new JsonObject { ["PrivateKey"] = relayerKey },
    };

    public static JsonObject Dao(DevnetDao dao, string? rpcOverride = null) => new()
    {
        ["Name"] = dao.Name,
        ["ChainId"] = dao.ChainId,
        ["Rpc"] = rpcOverride ?? dao.Rpc,
        ["Governor"] = dao.Governor,
        ["Token"] = dao.Token,
        ["Timelock"] = dao.Timelock,
        ["StartBlock"] = dao.StartBlock,
        ["Confirmations"] = 0,
        ["MaxBlockRange"] = 2000,
        ["PollIntervalSeconds"] = 1,
        ["TreasuryTokens"] = new JsonArray(new JsonObject { ["Address"] = dao.Usdc, ["Symbol"] = "USDC", ["Decimals"] = 6 }),
    };
}
