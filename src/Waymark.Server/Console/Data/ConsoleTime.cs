using System.Globalization;
using Microsoft.Extensions.Options;

namespace Waymark.Server.Console.Data;

/// <summary>The console's clock and time zone (Waymark:Console:TimeZone, else the server's).</summary>
public sealed class ConsoleTime(TimeProvider clock, IOptions<ConsoleOptions> options)
{
    private readonly TimeZoneInfo _zone = Resolve(options.Value.TimeZone);

    public DateTimeOffset Now => clock.GetUtcNow();

    public string ZoneName => _zone.Id == "Etc/UTC" || _zone.Id == "UTC" || _zone == TimeZoneInfo.Utc ? "UTC" : _zone.Id;

    public DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, _zone);

    /// <summary>14:03:07 today, "Tue 14:03" this week, else the date.</summary>
    public string Time(DateTimeOffset t)
    {
        var local = Local(t);
        var today = Local(Now).Date;
        if (local.Date == today)
        {
            return local.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }
        return local.Date > today.AddDays(-6)
            ? local.ToString("ddd HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    public string Full(DateTimeOffset t) => Local(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + ZoneName;

    public string Clock(DateTimeOffset t) => Local(t).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>"3 min ago" for a recent time.</summary>
    public string Ago(DateTimeOffset t)
    {
        var d = Now - t;
        return d.TotalSeconds switch
        {
            < 0 => "just now",
            < 60 => $"{(int)d.TotalSeconds} s ago",
            < 3600 => $"{(int)d.TotalMinutes} min ago",
            < 86400 => $"{(int)d.TotalHours} h ago",
            _ => $"{(int)d.TotalDays} d ago",
        };
    }

    private static TimeZoneInfo Resolve(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Local;
        }
    }
}
