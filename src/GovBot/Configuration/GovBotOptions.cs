using System.ComponentModel.DataAnnotations;

namespace GovBot.Configuration;

public sealed record StorageOptions
{
    public const string SectionName = "Storage";

    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; init; } = "Data Source=govbot.db";
}

public sealed record TreasuryTokenOptions
{
    [Required, RegularExpression(EthAddress.Pattern, ErrorMessage = "must be a 0x-prefixed 20-byte hex address")]
    public string Address { get; init; } = "";

    [Required(AllowEmptyStrings = false)]
    public string Symbol { get; init; } = "";

    [Range(0, 77)]
    public int Decimals { get; init; } = 18;
}

public sealed record DaoOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; init; } = "";

    [Range(1, long.MaxValue)]
    public long ChainId { get; init; } = 1;

    [Required, Url]
    public string Rpc { get; init; } = "";

    [Required, RegularExpression(EthAddress.Pattern, ErrorMessage = "must be a 0x-prefixed 20-byte hex address")]
    public string Governor { get; init; } = "";

    [Required, RegularExpression(EthAddress.Pattern, ErrorMessage = "must be a 0x-prefixed 20-byte hex address")]
    public string Token { get; init; } = "";

    [RegularExpression(EthAddress.Pattern, ErrorMessage = "must be a 0x-prefixed 20-byte hex address")]
    public string? Timelock { get; init; }

    [Range(0, long.MaxValue)]
    public long StartBlock { get; init; }

    [Range(0, 1000)]
    public int Confirmations { get; init; } = 12;

    /// <summary>The widest eth_getLogs range asked for; the indexer halves it when the provider refuses and grows back on success.</summary>
    [Range(1, 10_000_000)]
    public int MaxBlockRange { get; init; } = 10_000;

    [Range(0.05, 3600)]
    public double PollIntervalSeconds { get; init; } = 12;

    /// <summary>Native token symbol and decimals for renderers (ETH on every chain GovBot knows today).</summary>
    public string NativeSymbol { get; init; } = "ETH";

    public IReadOnlyList<TreasuryTokenOptions> TreasuryTokens { get; init; } = [];

    /// <summary>Risk flag threshold: a proposal moving more than this fraction of a token's treasury balance is flagged (0.10 = 10 %).</summary>
    [Range(typeof(decimal), "0.0001", "1", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal LargeTransferShare { get; init; } = 0.10m;

    /// <summary>Addresses besides the timelock that hold DAO funds.</summary>
    public IReadOnlyList<string> TreasuryAddresses { get; init; } = [];

    /// <summary>
    /// ENS names the DAO controls (for ENS: ens.eth, ensdao.eth). Summaries and answers may mention these and their
    /// subnames (wallet.ensdao.eth): only a name's owner can create subnames, so no proposer can forge one.
    /// </summary>
    public IReadOnlyList<string> TrustedNames { get; init; } = [];
}

public enum LlmProvider
{
    None,
    OpenAI,
    AzureOpenAI,
    OpenAICompatible,
}

public sealed record LlmOptions
{
    public const string SectionName = "Llm";

    public LlmProvider Provider { get; init; } = LlmProvider.None;
    public string? Endpoint { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }

    [Range(1, 600)]
    public int TimeoutSeconds { get; init; } = 60;
}

public sealed record DiscordOptions
{
    public const string SectionName = "Discord";

    public string? ApplicationId { get; init; }
    public string? PublicKey { get; init; }
    public string? BotToken { get; init; }

    [Required, Url]
    public string ApiBaseUrl { get; init; } = "https://discord.com/api/v10";

    public bool Enabled => !string.IsNullOrWhiteSpace(PublicKey) && !string.IsNullOrWhiteSpace(ApplicationId);
}

public enum TelegramMode
{
    Polling,
    Webhook,
}

public sealed record TelegramOptions
{
    public const string SectionName = "Telegram";

    public string? BotToken { get; init; }
    public TelegramMode Mode { get; init; } = TelegramMode.Polling;
    public string? WebhookSecret { get; init; }
    public string? ApiBaseUrl { get; init; }

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);
}

public sealed record WebOptions
{
    public const string SectionName = "Web";

    [Required(AllowEmptyStrings = false)]
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    [Required, Url]
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:5080";

    public string? LinkSigningKey { get; init; }
}

public sealed record RelayerOptions
{
    public const string SectionName = "Relayer";

    public string? PrivateKey { get; init; }
}
