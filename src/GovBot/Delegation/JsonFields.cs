using System.Text.Json;

namespace GovBot.Delegation;

internal static class JsonFields
{
    /// <summary>A string property, or false when it is missing or not a JSON string (untrusted input: never throws).</summary>
    public static bool TryGetString(JsonElement root, string name, out string value)
    {
        value = "";
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
            return false;
        value = element.GetString() ?? "";
        return true;
    }
}
