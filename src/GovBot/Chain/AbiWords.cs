using System.Numerics;
using System.Text;

namespace GovBot.Chain;

/// <summary>
/// Reads the ABI head/tail layout of event data directly, with every offset and length checked against the data.
/// The indexer decodes thousands of votes per range: this is ~100× cheaper than reflection-driven decoding.
/// </summary>
public readonly struct AbiWords
{
    private readonly byte[] _data;

    // Where this tuple's head starts in _data: offsets inside a tuple or array are relative to its own start.
    private readonly int _start;

    public AbiWords(string hexData)
    {
        if (!Hex.TryDecode(hexData, out _data, out var error))
            throw new FormatException(error);
        if (_data.Length % 32 != 0)
            throw new FormatException($"event data is {_data.Length} bytes, not a whole number of 32-byte words");
    }

    private AbiWords(byte[] data, int start)
    {
        _data = data;
        _start = start;
    }

    /// <summary>How many words there are from this tuple's start to the end of the data.</summary>
    public int Count => (_data.Length - _start) / 32;

    public BigInteger Uint(int word) => new(Word(word), isUnsigned: true, isBigEndian: true);

    public int SmallUint(int word, int max)
    {
        var value = Uint(word);
        return value <= max ? (int)value : throw new FormatException($"word {word} is {value}, above {max}");
    }

    /// <summary>A static `address` word: 12 zero bytes, then the address, returned as lowercase 0x-hex.</summary>
    public string Address(int word)
    {
        var bytes = Word(word);
        if (bytes[..12].ContainsAnyExcept((byte)0))
            throw new FormatException($"word {word} is not an address (its first 12 bytes are not zero)");
        return Hex.FromBytes(bytes[12..]);
    }

    /// <summary>The bytes of a dynamic `bytes`/`string` whose offset is stored in head word <paramref name="word"/>.</summary>
    public ReadOnlySpan<byte> Dynamic(int word)
    {
        var start = Target(word);
        var length = new BigInteger(_data.AsSpan(start, 32), isUnsigned: true, isBigEndian: true);
        if (length > _data.Length - start - 32)
            throw new FormatException($"dynamic length {length} at offset {start} runs past the data");
        return _data.AsSpan(start + 32, (int)length);
    }

    /// <summary>
    /// A dynamic array whose offset is stored in head word <paramref name="word"/>: its elements are read from the
    /// returned words by index (static elements in place, dynamic ones through offsets relative to the array).
    /// </summary>
    public AbiWords Array(int word, out int length)
    {
        var start = Target(word);
        var count = new BigInteger(_data.AsSpan(start, 32), isUnsigned: true, isBigEndian: true);
        // Every element takes at least one head word, so a longer array cannot fit in the data.
        if (count > (_data.Length - start - 32) / 32)
            throw new FormatException($"array length {count} at offset {start} runs past the data");
        length = (int)count;
        return new AbiWords(_data, start + 32);
    }

    public string String(int word) => Encoding.UTF8.GetString(Dynamic(word));

    public string BytesHex(int word) => Hex.FromBytes(Dynamic(word));

    /// <summary>An indexed address topic: 12 zero bytes then 20 address bytes.</summary>
    public static string TopicAddress(string topic)
    {
        if (topic.Length != 66 || !topic.AsSpan(2, 24).SequenceEqual("000000000000000000000000"))
            throw new FormatException($"topic {topic} is not an address");
        return "0x" + topic[26..];
    }

    /// <summary>The absolute position an offset word points to, with room for at least the length word there.</summary>
    private int Target(int word)
    {
        var offset = Uint(word);
        if (offset % 32 != 0 || _start + offset + 32 > _data.Length)
            throw new FormatException($"dynamic offset {offset} in word {word} is outside the {_data.Length}-byte data");
        return _start + (int)offset;
    }

    private ReadOnlySpan<byte> Word(int word) =>
        word >= 0 && word < Count ? _data.AsSpan(_start + word * 32, 32) : throw new FormatException($"event data has {Count} words; word {word} is missing");
}
