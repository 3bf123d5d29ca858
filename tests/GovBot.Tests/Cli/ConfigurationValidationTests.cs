using GovBot.Configuration;
using Microsoft.Extensions.Configuration;

namespace GovBot.Tests.Cli;

public class ConfigurationValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Daos:0:Name"] = "ens",
        ["Daos:0:ChainId"] = "1",
        ["Daos:0:Rpc"] = "http://127.0.0.1:8545",
        ["Daos:0:Governor"] = "0x323A76393544d5ecca80cd6ef2A560C6a395b7E3",
        ["Daos:0:Token"] = "0xC18360217D8F7Ab5e7c516566761Ea12Ce7F9D72",
    };

    private static IConfiguration Config(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in changes)
            values[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    [Fact]
    public void Valid_ReturnsTheDaos()
    {
        var daos = ConfigurationValidation.ValidateAndGetDaos(Config());
        Assert.Equal("ens", Assert.Single(daos).Name);
    }

    [Theory]
    [InlineData("Daos:0:Governor", "0x123", "Daos:0:Governor")]
    [InlineData("Daos:0:Rpc", "ftp://x", "Daos:0:Rpc")]
    [InlineData("Daos:0:Rpc", "not a url", "Daos:0:Rpc")]
    [InlineData("Daos:0:ChainId", "zero", "Daos:0")]
    [InlineData("Daos:0:TreasuryTokens:0:Address", "nope", "Daos:0:TreasuryTokens:0:Address")]
    [InlineData("Llm:Provider", "OpenAICompatible", "Llm:Endpoint")]
    [InlineData("Llm:Provider", "Sorcery", "Llm")]
    [InlineData("Llm:Provider", "AzureOpenAI", "Llm:Endpoint")]
    [InlineData("Llm:Provider", "OpenAI", "Llm:Model")]
    [InlineData("Storage:ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("Daos:0:TrustedNames:0", "eth", "Daos:0:TrustedNames:0")]
    [InlineData("Daos:0:TrustedNames:0", "*.ensdao.eth", "Daos:0:TrustedNames:0")]
    [InlineData("Daos:0:TrustedNames:0", "ens dao.eth", "Daos:0:TrustedNames:0")]
    [InlineData("Daos:0:LargeTransferShare", "1.5", "Daos:0")]
    [InlineData("Daos:0:LargeTransferShare", "0", "Daos:0")]
    public void Invalid_NamesTheKey(string key, string value, string expectedKeyPrefix)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationValidation.ValidateAndGetDaos(Config((key, value))));
        Assert.StartsWith(expectedKeyPrefix, ex.Key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Web:LinkSigningKey", "too-short-secret-value")]
    [InlineData("Web:LinkSigningKey", "base64:!!not-base64-secret-value!!")]
    [InlineData("Relayer:PrivateKey", "0x1234-secret-value")]
    [InlineData("Relayer:PrivateKey", "0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Relayer:PrivateKey", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public void UnusableDelegationSecret_StopsStartUpNamingTheKey_WithoutEchoingIt(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationValidation.ValidateAndGetDaos(Config((key, value))));
        Assert.Equal(key, ex.Key);
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Message.Split(key).Length - 1);
    }

    [Theory]
    [InlineData("Web:LinkSigningKey", "base64:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")]
    [InlineData("Relayer:PrivateKey", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6")]
    [InlineData("Relayer:PrivateKey", "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6")]
    public void UsableDelegationSecret_IsAccepted(string key, string value) =>
        Assert.Single(ConfigurationValidation.ValidateAndGetDaos(Config((key, value))));

    [Fact]
    public void LargeTransferShare_DefaultsToTenPercent_AndReadsAFraction()
    {
        Assert.Equal(0.10m, Assert.Single(ConfigurationValidation.ValidateAndGetDaos(Config())).LargeTransferShare);
        Assert.Equal(0.025m, Assert.Single(ConfigurationValidation.ValidateAndGetDaos(Config(("Daos:0:LargeTransferShare", "0.025")))).LargeTransferShare);
    }

    [Fact]
    public void TrustedNames_WithTwoOrMoreLabels_AreAccepted()
    {
        var dao = Assert.Single(ConfigurationValidation.ValidateAndGetDaos(Config(("Daos:0:TrustedNames:0", "ensdao.eth"), ("Daos:0:TrustedNames:1", "ENS.eth"))));
        Assert.Equal(["ensdao.eth", "ENS.eth"], dao.TrustedNames);
    }

    [Fact]
    public void NoDaos_IsAConfigurationError()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "Data Source=x.db" }).Build();
        Assert.Equal("Daos", Assert.Throws<ConfigurationException>(() => ConfigurationValidation.ValidateAndGetDaos(config)).Key);
    }

    [Theory]
    [InlineData("AzureOpenAI", "https://my-resource.openai.azure.com/", null, "Llm:ApiKey")]
    [InlineData("AzureOpenAI", "https://my-resource.openai.azure.com/", "key", null)]
    [InlineData("OpenAI", null, null, "Llm:ApiKey")]
    [InlineData("OpenAI", null, "sk-key", null)]
    [InlineData("OpenAICompatible", "http://127.0.0.1:11434/v1", null, null)]
    public void EachProvider_NeedsWhatItsConnectorNeeds(string provider, string? endpoint, string? apiKey, string? missingKey)
    {
        var config = Config(("Llm:Provider", provider), ("Llm:Model", "gpt-4o-mini"), ("Llm:Endpoint", endpoint), ("Llm:ApiKey", apiKey));

        if (missingKey is null)
            Assert.Single(ConfigurationValidation.ValidateAndGetDaos(config));
        else
            Assert.Equal(missingKey, Assert.Throws<ConfigurationException>(() => ConfigurationValidation.ValidateAndGetDaos(config)).Key);
    }

    [Fact]
    public void ApiKeyValue_NeverAppearsInTheMessage()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationValidation.ValidateAndGetDaos(
            Config(("Llm:Provider", "OpenAI"), ("Llm:ApiKey", "sk-secret-value"))));
        Assert.DoesNotContain("sk-secret-value", ex.Message, StringComparison.Ordinal);
    }
}
