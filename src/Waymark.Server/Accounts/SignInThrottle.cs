using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Waymark.Server.Accounts;

/// <summary>
/// How many wrong sign-ins are tolerated (section Waymark:Auth:Throttle). The
/// counts are kept per account name and per client address, for the console
/// form, Basic credentials and tokens alike.
/// </summary>
public sealed class ThrottleOptions
{
    /// <summary>Wrong passwords for one account within <see cref="Window"/> before it is locked. Default 5.</summary>
    [Range(1, 1000)] public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Wrong passwords or tokens from one client address within <see cref="Window"/> before it is locked. Default 20.</summary>
    [Range(1, 100_000)] public int MaxFailuresPerAddress { get; set; } = 20;

    /// <summary>How far back failures count. Default 15 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a lock lasts; afterwards the right password works again. Default 15 minutes.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Counts failed sign-ins and locks an account or a client address for a
/// while after too many. While locked every attempt is refused (429 with
/// Retry-After), the right password too: a guesser learns nothing.
/// </summary>
public sealed class SignInThrottle(Microsoft.Extensions.Options.IOptions<ThrottleOptions> options, TimeProvider clock)
{
    private readonly ThrottleOptions _o = options.Value;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset LockedUntil;
    }

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string? account, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var key in Keys(account, address))
        {
            if (_counters.TryGetValue(key, out var c))
            {
                lock (c)
                {
                    if (c.LockedUntil > now && c.LockedUntil - now > wait)
                    {
                        wait = c.LockedUntil - now;
                    }
                }
            }
        }
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a failure; returns how long the caller is now locked out, or null.</summary>
    public TimeSpan? Failed(string? account, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        if (_counters.Count > 100_000)
        {
            Sweep(now);
        }
        foreach (var key in Keys(account, address))
        {
            var c = _counters.GetOrAdd(key, _ => new Counter { WindowStart = now });
            var limit = key[0] == 'a' ? _o.MaxFailuresPerAccount : _o.MaxFailuresPerAddress;
            lock (c)
            {
                if (c.LockedUntil > now)
                {
                    continue;
                }
                if (now - c.WindowStart > _o.Window || c.LockedUntil != default)
                {
                    // A new window, or the first failure after a lock ended.
                    c.Failures = 0;
                    c.WindowStart = now;
                    c.LockedUntil = default;
                }
                if (++c.Failures >= limit)
                {
                    c.LockedUntil = now + _o.Lockout;
                }
            }
        }
        return RetryAfter(account, address);
    }

    /// <summary>A right password clears the account's failures (not the address's: one known account does not vouch for the guesses).</summary>
    public void Succeeded(string? account)
    {
        if (account is { Length: > 0 })
        {
            _counters.TryRemove("a:" + account.ToLowerInvariant(), out _);
        }
    }

    /// <summary>The Retry-After header value: whole seconds, at least one.</summary>
    public static string Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Keys(string? account, IPAddress? address)
    {
        if (account is { Length: > 0 })
        {
            yield return "a:" + account.ToLowerInvariant();
        }
        if (address is not null)
        {
            yield return "i:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, c) in _counters)
        {
            if (c.LockedUntil < now && now - c.WindowStart > _o.Window)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }
}
