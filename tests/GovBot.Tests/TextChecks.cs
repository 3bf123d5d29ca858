namespace GovBot.Tests;

public static class TextChecks
{
    /// <summary>True when every surrogate is paired: what a renderer must keep when it cuts text to a platform's limit.</summary>
    public static bool IsWellFormedUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
