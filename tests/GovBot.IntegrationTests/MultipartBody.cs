using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GovBot.IntegrationTests;

/// <summary>One part of a multipart/form-data body as it arrived: the raw Content-Disposition, its name and filename, the bytes.</summary>
public sealed record MultipartPart(string ContentDisposition, string Name, string? FileName, string? ContentType, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

public static class MultipartBody
{
    /// <summary>The parts of a multipart/form-data body, read by ASP.NET Core's own parser; none for any other content type.</summary>
    public static async Task<IReadOnlyList<MultipartPart>> ReadAsync(string? contentType, byte[] body)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return [];

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value
            ?? throw new InvalidOperationException("multipart body without a boundary: " + contentType);
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        var parts = new List<MultipartPart>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = section.ContentDisposition ?? "";
            ContentDispositionHeaderValue.TryParse(disposition, out var parsed);
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content);
            parts.Add(new MultipartPart(
                disposition,
                HeaderUtilities.RemoveQuotes(parsed?.Name ?? default).Value ?? "",
                parsed?.FileName is { HasValue: true } fileName ? HeaderUtilities.RemoveQuotes(fileName).Value : null,
                section.ContentType,
                content.ToArray()));
        }
        return parts;
    }
}
