using System.Security.Cryptography;

namespace Guance.Billing.Common;

/// <summary>
/// Identifiers of the form <c>prefix_</c> + 26 lower-case base32 characters: 48 bits of
/// milliseconds then 80 random bits, monotonic within a process, so that ordering by id is
/// ordering by creation (as ULIDs do) and keyset pagination needs no second column.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private static readonly System.Buffers.SearchValues<char> AlphabetChars = System.Buffers.SearchValues.Create(Alphabet);
    private const int BodyLength = 26;
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static UInt128 _lastRandom;

    public static string New(string prefix, TimeProvider clock)
    {
        long milliseconds = clock.GetUtcNow().ToUnixTimeMilliseconds();
        UInt128 random;
        lock (Gate)
        {
            if (milliseconds <= _lastMilliseconds)
            {
                milliseconds = _lastMilliseconds;
                random = _lastRandom + 1;
            }
            else
            {
                Span<byte> bytes = stackalloc byte[10];
                RandomNumberGenerator.Fill(bytes);
                random = 0;
                foreach (var b in bytes)
                {
                    random = (random << 8) | b;
                }
            }
            _lastMilliseconds = milliseconds;
            _lastRandom = random;
        }

        // 128 bits: 48 of time, 80 of randomness; 26 base32 characters carry 130 bits.
        UInt128 value = ((UInt128)(ulong)milliseconds << 80) | (random & ((UInt128.One << 80) - 1));
        Span<char> body = stackalloc char[BodyLength];
        for (int i = BodyLength - 1; i >= 0; i--)
        {
            body[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return string.Concat(prefix, "_", body);
    }

    public static bool IsWellFormed(string value, string prefix) =>
        value.Length == prefix.Length + 1 + BodyLength
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value[prefix.Length] == '_'
        && value.AsSpan(prefix.Length + 1).IndexOfAnyExcept(AlphabetChars) < 0;
}
