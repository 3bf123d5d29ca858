namespace GovBot;

/// <summary>Something the user typed or asked for is wrong (unknown id, malformed address). Exit code 2; the message is shown as is.</summary>
public sealed class UserInputException(string message) : Exception(message);

/// <summary>Configuration is missing or wrong. Exit code 2; the message names the key and what is wrong.</summary>
public sealed class ConfigurationException(string key, string problem) : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;
}
