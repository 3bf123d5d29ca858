using System.Text.Json;

namespace GovBot.Delegation;

internal static class JsonFields
{
    /// <summary>
    /// Parses a request body that must be one small JSON object (at most <see cref="DelegationRelayRequest.MaxBodyBytes"/>);
    /// null with the reason otherwise. <paramref name="expected"/> names the fields for the empty-body message. The caller
    /// disposes the document.
    /// </summary>
    public static JsonDocument? TryParseObject(ReadOnlySpan<byte> utf8Json, string expected, out string error)
    {
        error = "";
        if (utf8Json.Length == 0)
        {
            error = $"the request body is empty; expected JSON {expected}";
            return null;
        }

        if (utf8Json.Length > DelegationRelayRequest.MaxBodyBytes)
        {
            error = $"the request body is larger than {DelegationRelayRequest.MaxBodyBytes} bytes";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            error = "the request body is not valid JSON";
            return null;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
            return document;
        document.Dispose();
        error = "the request body must be a JSON object";
        return null;
    }

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
