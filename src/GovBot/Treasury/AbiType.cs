using System.Text;

namespace GovBot.Treasury;

internal enum AbiKind
{
    Address,
    Uint,
    Int,
    Bool,
    FixedBytes,
    Bytes,
    String,
    Array,
    FixedArray,
    Tuple,
}

/// <summary>One Solidity ABI type; Size is bits for uintN/intN and bytes for bytesN.</summary>
internal sealed record AbiType(AbiKind Kind, int Size = 0, AbiType? Element = null, int Length = 0, IReadOnlyList<AbiParameter>? Components = null)
{
    public bool IsDynamic => Kind switch
    {
        AbiKind.Bytes or AbiKind.String or AbiKind.Array => true,
        AbiKind.FixedArray => Element!.IsDynamic,
        AbiKind.Tuple => Components!.Any(c => c.Type.IsDynamic),
        _ => false,
    };

    /// <summary>Bytes this type takes in its parent's head: 32 for anything dynamic (an offset).</summary>
    public int HeadSize => IsDynamic ? 32 : Kind switch
    {
        AbiKind.FixedArray => checked(Length * Element!.HeadSize),
        AbiKind.Tuple => Components!.Sum(c => c.Type.HeadSize),
        _ => 32,
    };

    public string Canonical => Kind switch
    {
        AbiKind.Address => "address",
        AbiKind.Uint => $"uint{Size}",
        AbiKind.Int => $"int{Size}",
        AbiKind.Bool => "bool",
        AbiKind.FixedBytes => $"bytes{Size}",
        AbiKind.Bytes => "bytes",
        AbiKind.String => "string",
        AbiKind.Array => Element!.Canonical + "[]",
        AbiKind.FixedArray => $"{Element!.Canonical}[{Length}]",
        _ => "(" + string.Join(",", Components!.Select(c => c.Type.Canonical)) + ")",
    };
}

internal sealed record AbiParameter(string Name, AbiType Type);

/// <summary>A function as written by people ("transfer(address to, uint256 amount)"), parsed into its name and typed parameters.</summary>
internal sealed record AbiFunction(string Name, IReadOnlyList<AbiParameter> Parameters)
{
    public string Signature => Name + "(" + string.Join(",", Parameters.Select(p => p.Type.Canonical)) + ")";

    public string Selector => "0x" + new Nethereum.Util.Sha3Keccack().CalculateHash(Signature)[..8];

    /// <summary>Parses a function signature with optional parameter names; null when it is not one.</summary>
    public static AbiFunction? TryParse(string text)
    {
        if (text.Length > 2000)
            return null;
        var parser = new AbiSignatureParser(text);
        return parser.ParseFunction();
    }
}

/// <summary>A small recursive-descent parser; input is bounded by the caller, nesting by MaxDepth.</summary>
internal sealed class AbiSignatureParser(string text)
{
    private const int MaxDepth = 8;
    private int _position;

    public AbiFunction? ParseFunction()
    {
        SkipSpaces();
        var name = ReadIdentifier();
        if (name.Length == 0 || !TryConsume('('))
            return null;
        var parameters = ParseParameterList(0);
        if (parameters is null)
            return null;
        SkipSpaces();
        return _position == text.Length ? new AbiFunction(name, parameters) : null;
    }

    // Called just after '(' ; consumes the closing ')'.
    private List<AbiParameter>? ParseParameterList(int depth)
    {
        var parameters = new List<AbiParameter>();
        SkipSpaces();
        if (TryConsume(')'))
            return parameters;
        while (true)
        {
            var type = ParseType(depth);
            if (type is null)
                return null;
            SkipSpaces();
            var name = ReadIdentifier();
            if (name is "memory" or "calldata" or "storage" or "indexed")
            {
                SkipSpaces();
                name = ReadIdentifier();
            }
            parameters.Add(new AbiParameter(name, type));
            SkipSpaces();
            if (TryConsume(')'))
                return parameters;
            if (!TryConsume(','))
                return null;
            SkipSpaces();
        }
    }

    private AbiType? ParseType(int depth)
    {
        if (depth > MaxDepth)
            return null;
        SkipSpaces();
        AbiType? type;
        var start = _position;
        var word = ReadIdentifier();
        if (word.Length == 0 || word == "tuple")
        {
            if (!TryConsume('('))
            {
                _position = start;
                return null;
            }
            var components = ParseParameterList(depth + 1);
            if (components is null)
                return null;
            type = new AbiType(AbiKind.Tuple, Components: components);
        }
        else
        {
            type = ParseElementary(word);
            if (type is null)
                return null;
        }

        while (TryConsume('['))
        {
            var digits = ReadDigits();
            if (!TryConsume(']'))
                return null;
            if (digits.Length == 0)
                type = new AbiType(AbiKind.Array, Element: type);
            else if (int.TryParse(digits, out var length) && length is > 0 and <= 1024)
                type = new AbiType(AbiKind.FixedArray, Element: type, Length: length);
            else
                return null;
        }
        return type;
    }

    private static AbiType? ParseElementary(string word)
    {
        switch (word)
        {
            case "address": return new AbiType(AbiKind.Address);
            case "bool": return new AbiType(AbiKind.Bool);
            case "string": return new AbiType(AbiKind.String);
            case "bytes": return new AbiType(AbiKind.Bytes);
            case "uint": return new AbiType(AbiKind.Uint, 256);
            case "int": return new AbiType(AbiKind.Int, 256);
        }
        if (word.StartsWith("uint", StringComparison.Ordinal) && TryBits(word[4..], out var bits))
            return new AbiType(AbiKind.Uint, bits);
        if (word.StartsWith("int", StringComparison.Ordinal) && TryBits(word[3..], out bits))
            return new AbiType(AbiKind.Int, bits);
        if (word.StartsWith("bytes", StringComparison.Ordinal) && int.TryParse(word[5..], out var size) && size is >= 1 and <= 32 && word[5] != '0')
            return new AbiType(AbiKind.FixedBytes, size);
        return null;
    }

    private static bool TryBits(string digits, out int bits) =>
        int.TryParse(digits, out bits) && bits is >= 8 and <= 256 && bits % 8 == 0 && digits[0] != '0';

    private string ReadIdentifier()
    {
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            _position++;
        return text[start.._position];
    }

    private string ReadDigits()
    {
        var start = _position;
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            _position++;
        return text[start.._position];
    }

    private bool TryConsume(char c)
    {
        if (_position < text.Length && text[_position] == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void SkipSpaces()
    {
        while (_position < text.Length && text[_position] == ' ')
            _position++;
    }
}
