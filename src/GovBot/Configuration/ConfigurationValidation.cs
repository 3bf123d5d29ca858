using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GovBot.Configuration;

/// <summary>
/// Validates the whole configuration before anything starts, so a mistake stops start-up with one line that names
/// the key ("Daos:0:Rpc: …"). Values are never echoed for secret keys.
/// </summary>
public static partial class ConfigurationValidation
{
    public static IReadOnlyList<DaoOptions> ValidateAndGetDaos(IConfiguration configuration)
    {
        Validate<StorageOptions>(configuration, StorageOptions.SectionName);
        Validate<LlmOptions>(configuration, LlmOptions.SectionName);
        Validate<DiscordOptions>(configuration, DiscordOptions.SectionName);
        Validate<TelegramOptions>(configuration, TelegramOptions.SectionName);
        Validate<WebOptions>(configuration, WebOptions.SectionName);
        Validate<RelayerOptions>(configuration, RelayerOptions.SectionName);

        var daoSections = configuration.GetSection("Daos").GetChildren().ToList();
        if (daoSections.Count == 0)
            throw new ConfigurationException("Daos", "at least one DAO must be configured");
        var daos = new List<DaoOptions>();
        foreach (var section in daoSections)
        {
            var dao = Bind<DaoOptions>(section, $"Daos:{section.Key}");
            Check(dao, $"Daos:{section.Key}");
            if (!Uri.TryCreate(dao.Rpc, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
                throw new ConfigurationException($"Daos:{section.Key}:Rpc", "must be an http(s) URL");
            for (var i = 0; i < dao.TreasuryTokens.Count; i++)
                Check(dao.TreasuryTokens[i], $"Daos:{section.Key}:TreasuryTokens:{i}");
            for (var i = 0; i < dao.TreasuryAddresses.Count; i++)
            {
                if (!EthAddress.TryNormalize(dao.TreasuryAddresses[i], out _))
                    throw new ConfigurationException($"Daos:{section.Key}:TreasuryAddresses:{i}", "must be a 0x-prefixed 20-byte hex address");
            }

            for (var i = 0; i < dao.TrustedNames.Count; i++)
            {
                // At least two labels: trusting "eth" would trust every .eth name there is.
                if (!TrustedName().IsMatch(dao.TrustedNames[i].Trim().ToLowerInvariant()))
                    throw new ConfigurationException($"Daos:{section.Key}:TrustedNames:{i}", "must be an ENS name with at least two labels, like ensdao.eth");
            }

            if (daos.Any(d => d.Name.Equals(dao.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ConfigurationException($"Daos:{section.Key}:Name", $"'{dao.Name}' is used by another DAO");
            daos.Add(dao);
        }

        var llm = Bind<LlmOptions>(configuration.GetSection(LlmOptions.SectionName), LlmOptions.SectionName);
        if (llm.Provider is LlmProvider.OpenAICompatible or LlmProvider.AzureOpenAI && !Uri.TryCreate(llm.Endpoint, UriKind.Absolute, out _))
            throw new ConfigurationException("Llm:Endpoint", $"is required (an absolute URL) when Provider is {llm.Provider}");
        if (llm.Provider is not LlmProvider.None && string.IsNullOrWhiteSpace(llm.Model))
            throw new ConfigurationException("Llm:Model", $"is required when Provider is {llm.Provider}");
        if (llm.Provider is LlmProvider.OpenAI or LlmProvider.AzureOpenAI && string.IsNullOrWhiteSpace(llm.ApiKey))
            throw new ConfigurationException("Llm:ApiKey", $"is required when Provider is {llm.Provider}");

        // Checked here rather than on first use: a bad key would otherwise start fine and answer every link with a 500.
        var web = Bind<WebOptions>(configuration.GetSection(WebOptions.SectionName), WebOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(web.LinkSigningKey) && !Delegation.DelegationLinkSigner.TryDecodeKey(web.LinkSigningKey, out _, out var keyError))
            throw new ConfigurationException("Web:LinkSigningKey", keyError.Replace("Web:LinkSigningKey ", "", StringComparison.Ordinal));
        var relayer = Bind<RelayerOptions>(configuration.GetSection(RelayerOptions.SectionName), RelayerOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(relayer.PrivateKey) && !IsPrivateKey(relayer.PrivateKey.Trim()))
            throw new ConfigurationException("Relayer:PrivateKey", "must be a secp256k1 private key: 64 hex characters, optionally 0x-prefixed");

        var telegram = Bind<TelegramOptions>(configuration.GetSection(TelegramOptions.SectionName), TelegramOptions.SectionName);
        if (telegram.Enabled && telegram.Mode == TelegramMode.Webhook && (telegram.WebhookSecret?.Length ?? 0) < 16)
            throw new ConfigurationException("Telegram:WebhookSecret", "must be at least 16 characters in Webhook mode");
        return daos;
    }

    private static bool IsPrivateKey(string text)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            return false;
        var value = new System.Numerics.BigInteger(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
        return !value.IsZero && value < Secp256k1Order;
    }

    private static readonly System.Numerics.BigInteger Secp256k1Order = System.Numerics.BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static void Validate<T>(IConfiguration configuration, string sectionName) where T : class, new()
    {
        var options = Bind<T>(configuration.GetSection(sectionName), sectionName);
        Check(options, sectionName);
    }

    private static T Bind<T>(IConfigurationSection section, string key) where T : class, new()
    {
        try
        {
            return section.Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the offending key and type but never a secret value.
            throw new ConfigurationException(key, ex.Message);
        }
    }

    private static void Check(object options, string prefix)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return;
        var first = results[0];
        var member = first.MemberNames.FirstOrDefault();
        throw new ConfigurationException(member is null ? prefix : $"{prefix}:{member}", first.ErrorMessage ?? "is invalid");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]+(\.[a-z0-9-]+)+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TrustedName();
}
