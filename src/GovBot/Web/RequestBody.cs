namespace GovBot.Web;

/// <summary>Bounded reading of request bodies for every endpoint that takes untrusted input.</summary>
public static class RequestBody
{
    /// <summary>
    /// Reads at most <paramref name="max"/> + 1 bytes into <paramref name="buffer"/> (which must hold that many): one
    /// byte past the cap is enough to know a body is too big without buffering the rest. Returns the bytes read;
    /// a result above <paramref name="max"/> means "too large".
    /// </summary>
    public static async Task<int> ReadCappedAsync(Stream body, byte[] buffer, int max, CancellationToken cancellationToken)
    {
        if (buffer.Length < max + 1)
            throw new ArgumentException($"the buffer must hold {max + 1} bytes", nameof(buffer));
        var total = 0;
        while (total <= max)
        {
            var read = await body.ReadAsync(buffer.AsMemory(total, max + 1 - total), cancellationToken);
            if (read == 0)
                break;
            total += read;
        }

        return total;
    }
}
