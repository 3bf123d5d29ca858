using GovBot.Chain;
using System.Numerics;
using System.Text;

namespace GovBot.Treasury;

internal sealed class AbiDecodingException(string message) : Exception(message);

/// <summary>
/// Decodes ABI-encoded arguments strictly: every offset and length is bounds-checked before use, and dirty padding
/// is an error (Solidity's own decoder reverts on it, so such calldata would not do what it appears to).
/// </summary>
internal sealed class AbiDecoder
{
    private readonly ReadOnlyMemory<byte> _data;
    // Offsets may alias, so a tiny input could make the decoder copy the same blob many times; cap the total.
    private long _budget;

    private AbiDecoder(ReadOnlyMemory<byte> data)
    {
        _data = data;
        _budget = 4L * data.Length + 65_536;
    }

    public static IReadOnlyList<DecodedArgument> Decode(ReadOnlyMemory<byte> data, IReadOnlyList<AbiParameter> parameters)
    {
        var decoder = new AbiDecoder(data);
        var values = decoder.DecodeSequence(parameters.Count, i => parameters[i].Type, 0);
        var arguments = new DecodedArgument[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
            arguments[i] = new DecodedArgument(ArgumentName(parameters[i], i), parameters[i].Type.Canonical, values[i]);
        return arguments;
    }

    private static string ArgumentName(AbiParameter parameter, int index) =>
        parameter.Name.Length > 0 ? parameter.Name : $"arg{index}";

    private object?[] DecodeSequence(int count, Func<int, AbiType> typeAt, int basePosition)
    {
        var values = new object?[count];
        var head = basePosition;
        for (var i = 0; i < count; i++)
        {
            var type = typeAt(i);
            if (type.IsDynamic)
            {
                var offset = ReadSize(head, "offset");
                values[i] = DecodeAt(type, checked(basePosition + offset));
                head += 32;
            }
            else
            {
                values[i] = DecodeAt(type, head);
                head = checked(head + type.HeadSize);
            }
        }
        return values;
    }

    private object? DecodeAt(AbiType type, int position)
    {
        Spend(32);
        switch (type.Kind)
        {
            case AbiKind.Address:
            {
                var word = Word(position);
                if (word[..12].ContainsAnyExcept((byte)0))
                    throw new AbiDecodingException($"address at byte {position} has dirty high bytes");
                return Hex.FromBytes(word[12..]);
            }
            case AbiKind.Uint:
            {
                var value = new BigInteger(Word(position), isUnsigned: true, isBigEndian: true);
                if (type.Size < 256 && value >> type.Size != BigInteger.Zero)
                    throw new AbiDecodingException($"uint{type.Size} at byte {position} is out of range");
                return value;
            }
            case AbiKind.Int:
            {
                var value = new BigInteger(Word(position), isUnsigned: false, isBigEndian: true);
                var limit = BigInteger.One << (type.Size - 1);
                if (value >= limit || value < -limit)
                    throw new AbiDecodingException($"int{type.Size} at byte {position} is out of range");
                return value;
            }
            case AbiKind.Bool:
            {
                var word = Word(position);
                if (word[..31].ContainsAnyExcept((byte)0) || word[31] > 1)
                    throw new AbiDecodingException($"bool at byte {position} is neither 0 nor 1");
                return word[31] == 1;
            }
            case AbiKind.FixedBytes:
            {
                var word = Word(position);
                if (word[type.Size..].ContainsAnyExcept((byte)0))
                    throw new AbiDecodingException($"bytes{type.Size} at byte {position} has dirty low bytes");
                return Hex.FromBytes(word[..type.Size]);
            }
            case AbiKind.Bytes:
                return Hex.FromBytes(ReadBytes(position));
            case AbiKind.String:
                return Encoding.UTF8.GetString(ReadBytes(position));
            case AbiKind.Array:
            {
                var count = ReadSize(position, "array length");
                var start = checked(position + 32);
                if ((long)count * type.Element!.HeadSize > _data.Length - (long)start)
                    throw new AbiDecodingException($"array at byte {position} claims {count} elements, more than the data holds");
                Spend(count);
                return DecodeSequence(count, _ => type.Element, start);
            }
            case AbiKind.FixedArray:
                Spend(type.Length);
                return DecodeSequence(type.Length, _ => type.Element!, position);
            case AbiKind.Tuple:
            {
                var components = type.Components!;
                var values = DecodeSequence(components.Count, i => components[i].Type, position);
                var fields = new DecodedArgument[components.Count];
                for (var i = 0; i < components.Count; i++)
                    fields[i] = new DecodedArgument(ArgumentName(components[i], i), components[i].Type.Canonical, values[i]);
                return fields;
            }
            default:
                throw new AbiDecodingException($"unsupported type {type.Canonical}");
        }
    }

    private ReadOnlySpan<byte> ReadBytes(int position)
    {
        var length = ReadSize(position, "length");
        var start = checked(position + 32);
        if ((long)start + length > _data.Length)
            throw new AbiDecodingException($"bytes at byte {position} claim {length} bytes, more than the data holds");
        Spend(length);
        return _data.Span.Slice(start, length);
    }

    private ReadOnlySpan<byte> Word(int position)
    {
        if (position < 0 || (long)position + 32 > _data.Length)
            throw new AbiDecodingException($"arguments end at byte {_data.Length}, expected a word at byte {position}");
        return _data.Span.Slice(position, 32);
    }

    /// <summary>An offset or length: must fit comfortably in an int and never exceed the data itself.</summary>
    private int ReadSize(int position, string what)
    {
        var word = Word(position);
        if (word[..28].ContainsAnyExcept((byte)0))
            throw new AbiDecodingException($"{what} at byte {position} is absurdly large");
        var value = (long)word[28] << 24 | (long)word[29] << 16 | (long)word[30] << 8 | word[31];
        if (value > _data.Length)
            throw new AbiDecodingException($"{what} at byte {position} ({value}) points past the end of the data ({_data.Length} bytes)");
        return (int)value;
    }

    private void Spend(long amount)
    {
        _budget -= amount;
        if (_budget < 0)
            throw new AbiDecodingException("arguments expand to far more data than they contain (aliased offsets)");
    }
}
