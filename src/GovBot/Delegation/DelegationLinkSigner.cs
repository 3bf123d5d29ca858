using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovBot.Configuration;
using Microsoft.Extensions.Options;

namespace GovBot.Delegation;

/// <summary>
/// Issues and checks the expiring links that <c>/delegate &lt;address&gt;</c> answers with.
/// Token: base64url(UTF-8 JSON payload) "." base64url(HMAC-SHA256(key, payload bytes)), no padding.
/// The payload carries the key id so a link signed before a key rotation gets a precise answer rather than "tampered".
/// </summary>
public sealed class DelegationLinkSigner
{
    public const int MinKeyBytes = 32;

    /// <summary>Tokens are ~250 characters; anything far longer is rejected before any decoding work.</summary>
    public const int MaxTokenLength = 1024;

    public static readonly TimeSpan DefaultValidity = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(30);

    private const int PayloadVersion = 1;
    private const int LinkIdBytes = 12;
    private const int MacBytes = 32;
    private const string KeySetting = "Web:LinkSigningKey";

    private readonly byte[] _currentKey;
    private readonly string _currentKeyId;
    private readonly Dictionary<string, byte[]> _keysById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DaoOptions> _daosByName = new(StringComparer.Ordinal);
    private readonly string _publicBaseUrl;
    private readonly TimeProvider _time;

    /// <param name="signingKey"><c>Web:LinkSigningKey</c>: "base64:…", "hex:…"/"0x…", or plain text; at least 32 bytes once decoded.</param>
    /// <param name="publicBaseUrl"><c>Web:PublicBaseUrl</c>.</param>
    /// <param name="daos">The configured DAOs; a link is only valid for one of them with the same chain id and token.</param>
    /// <param name="time">Clock for issuing and expiry.</param>
    /// <param name="validity">How long a new link lives; 24 h by default.</param>
    /// <param name="previousKeys">Keys retired by a rotation whose links should keep working until they expire. Empty by default: rotation invalidates old links.</param>
    /// <exception cref="OptionsValidationException">The signing key is missing or shorter than 32 bytes.</exception>
    public DelegationLinkSigner(
        string? signingKey,
        string publicBaseUrl,
        IEnumerable<DaoOptions> daos,
        TimeProvider time,
        TimeSpan? validity = null,
        IEnumerable<string>? previousKeys = null)
    {
        if (!TryDecodeKey(signingKey, out var key, out var error))
            throw new OptionsValidationException(WebOptions.SectionName, typeof(WebOptions), [error]);
        if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
            throw new OptionsValidationException(WebOptions.SectionName, typeof(WebOptions), [$"Web:PublicBaseUrl must be an absolute http(s) URL, got '{publicBaseUrl}'"]);

        Validity = validity ?? DefaultValidity;
        if (Validity <= TimeSpan.Zero || Validity > MaxValidity)
            throw new ArgumentOutOfRangeException(nameof(validity), Validity, $"link validity must be between 1 second and {MaxValidity.TotalDays} days");

        _currentKey = key;
        _currentKeyId = KeyIdOf(key);
        _keysById[_currentKeyId] = key;
        foreach (var old in previousKeys ?? [])
        {
            if (!TryDecodeKey(old, out var oldKey, out var oldError))
                throw new OptionsValidationException(WebOptions.SectionName, typeof(WebOptions), [$"a previous link signing key is unusable: {oldError}"]);
            _keysById.TryAdd(KeyIdOf(oldKey), oldKey);
        }

        foreach (var dao in daos)
            _daosByName.TryAdd(dao.Name, dao);

        _publicBaseUrl = publicBaseUrl.TrimEnd('/');
        _time = time;
    }

    public TimeSpan Validity { get; }

    /// <summary>The key id new links carry: first 8 hex chars of SHA-256 of the key. Safe to log.</summary>
    public string CurrentKeyId => _currentKeyId;

    /// <summary>Decodes a configured key; the error names the setting and says what to do, and never echoes the key.</summary>
    public static bool TryDecodeKey(string? configured, out byte[] key, out string error)
    {
        key = [];
        error = "";
        if (string.IsNullOrWhiteSpace(configured))
        {
            error = $"{KeySetting} is not set; delegation links need it. Set it to at least {MinKeyBytes} random bytes, e.g. \"base64:\" followed by the output of `openssl rand -base64 48`";
            return false;
        }

        var text = configured.Trim();
        try
        {
            if (text.StartsWith("base64:", StringComparison.OrdinalIgnoreCase))
                key = Convert.FromBase64String(text["base64:".Length..]);
            else if (text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase))
                key = Convert.FromHexString(text["hex:".Length..]);
            else if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                key = Convert.FromHexString(text[2..]);
            else
                key = Encoding.UTF8.GetBytes(text);
        }
        catch (FormatException)
        {
            error = $"{KeySetting} has a base64:/hex:/0x prefix but the rest does not decode";
            return false;
        }

        if (key.Length < MinKeyBytes)
        {
            error = $"{KeySetting} is {key.Length} bytes; it must be at least {MinKeyBytes} bytes (e.g. \"base64:\" followed by the output of `openssl rand -base64 48`)";
            key = [];
            return false;
        }
        return true;
    }

    public static string KeyIdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    /// <summary>Signs a link for <paramref name="delegatee"/> on a configured DAO.</summary>
    /// <exception cref="ArgumentException">The DAO is not configured here or the address is not an address.</exception>
    public SignedDelegationLink Create(DaoOptions dao, string delegatee)
    {
        if (!_daosByName.TryGetValue(dao.Name, out var configured) || !SameDao(configured, dao.ChainId, dao.Token))
            throw new ArgumentException($"DAO '{dao.Name}' is not configured on this bot", nameof(dao));
        if (!EthAddress.TryNormalize(delegatee, out var delegateeAddress))
            throw new ArgumentException("the delegatee is not a 0x-prefixed 20-byte hex address", nameof(delegatee));

        var expires = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds()).Add(Validity);
        var link = new DelegationLink(
            configured.Name,
            configured.ChainId,
            EthAddress.Normalize(configured.Token),
            delegateeAddress,
            expires,
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(LinkIdBytes)),
            _currentKeyId);

        var payload = WritePayload(link);
        var mac = HMACSHA256.HashData(_currentKey, payload);
        var token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
        return new SignedDelegationLink(link, token, new Uri($"{_publicBaseUrl}/delegate/{token}"));
    }

    /// <summary>Checks a token from a URL. Never throws: every input gets a result with a reason a user can act on.</summary>
    public LinkValidationResult Validate(string? token)
    {
        try
        {
            return ValidateCore(token);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or InvalidOperationException or OverflowException)
        {
            // Defence in depth: the parser below is written not to throw, but a bad link must never become a 500.
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, "this link is damaged; copy the whole link or ask the bot for a new one");
        }
    }

    private LinkValidationResult ValidateCore(string? token)
    {
        const string damaged = "this link is damaged; copy the whole link or ask the bot for a new one";
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, damaged);

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || dot == token.Length - 1)
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, damaged);

        if (!TryDecodeCanonical(token.AsSpan(0, dot), out var payload) || !TryDecodeCanonical(token.AsSpan(dot + 1), out var mac) || mac.Length != MacBytes)
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, damaged);

        if (!TryReadPayload(payload, out var fields))
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, damaged);

        if (!_keysById.TryGetValue(fields.KeyId, out var key))
            return LinkValidationResult.Fail(LinkValidationFailure.RetiredKey, "this link was signed with a key that is no longer in use; ask the bot for a new link");

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), mac))
            return LinkValidationResult.Fail(LinkValidationFailure.BadSignature, "this link has been altered or was not issued by this bot; ask the bot for a new link");

        if (!fields.TryToLink(out var link))
            return LinkValidationResult.Fail(LinkValidationFailure.Malformed, damaged);

        if (_time.GetUtcNow() >= link.ExpiresAt)
            return LinkValidationResult.Fail(LinkValidationFailure.Expired, $"this link expired at {link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; ask the bot for a new link");

        if (!_daosByName.TryGetValue(link.Dao, out var dao))
            return LinkValidationResult.Fail(LinkValidationFailure.UnknownDao, $"this link is for a DAO named '{Truncate(link.Dao)}', which this bot does not serve");

        if (!SameDao(dao, link.ChainId, link.Token))
            return LinkValidationResult.Fail(LinkValidationFailure.DaoMismatch, $"this link's chain or token no longer matches {dao.Name}'s configuration; ask the bot for a new link");

        return LinkValidationResult.Valid(link);
    }

    private static bool SameDao(DaoOptions dao, long chainId, string token) =>
        dao.ChainId == chainId && EthAddress.TryNormalize(dao.Token, out var configuredToken) && EthAddress.TryNormalize(token, out var linkToken) && configuredToken == linkToken;

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Base64url without padding, and only the one spelling that re-encodes identically, so unused low bits cannot be flipped unnoticed.</summary>
    private static bool TryDecodeCanonical(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty)
            return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                return false;
        }
        if (text.Length % 4 == 1)
            return false;

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (!Base64Url.TryDecodeFromChars(text, buffer, out var written))
            return false;
        bytes = buffer[..written];
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text);
    }

    private static byte[] WritePayload(DelegationLink link)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", PayloadVersion);
            writer.WriteString("k", link.KeyId);
            writer.WriteString("d", link.Dao);
            writer.WriteNumber("c", link.ChainId);
            writer.WriteString("t", link.Token);
            writer.WriteString("e", link.Delegatee);
            writer.WriteNumber("x", link.ExpiresAt.ToUnixTimeSeconds());
            writer.WriteString("n", link.LinkId);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static bool TryReadPayload(byte[] payload, out PayloadFields fields)
    {
        fields = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return false;
            if (!root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != PayloadVersion)
                return false;
            if (!JsonFields.TryGetString(root, "k", out var keyId) || keyId.Length != 8)
                return false;
            JsonFields.TryGetString(root, "d", out var dao);
            JsonFields.TryGetString(root, "t", out var tokenAddress);
            JsonFields.TryGetString(root, "e", out var delegatee);
            JsonFields.TryGetString(root, "n", out var linkId);
            long chainId = 0, expiry = 0;
            if (root.TryGetProperty("c", out var c) && c.ValueKind == JsonValueKind.Number)
                c.TryGetInt64(out chainId);
            if (root.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.Number)
                x.TryGetInt64(out expiry);
            fields = new PayloadFields(keyId, dao, chainId, tokenAddress, delegatee, expiry, linkId);
            return true;
        }
    }


    private readonly record struct PayloadFields(string KeyId, string Dao, long ChainId, string Token, string Delegatee, long Expiry, string LinkId)
    {
        // Only reached for payloads carrying our MAC, so these checks guard against our own bugs and old formats, not attackers.
        public bool TryToLink(out DelegationLink link)
        {
            link = null!;
            if (Dao.Length is 0 or > 200 || ChainId <= 0 || LinkId.Length == 0)
                return false;
            if (!EthAddress.TryNormalize(Token, out var token) || !EthAddress.TryNormalize(Delegatee, out var delegatee))
                return false;
            if (Expiry <= 0 || Expiry > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
                return false;
            link = new DelegationLink(Dao, ChainId, token, delegatee, DateTimeOffset.FromUnixTimeSeconds(Expiry), LinkId, KeyId);
            return true;
        }
    }
}
