using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

/// <summary>Small hand-built logs: one character per activity.</summary>
internal static class LogBuilder
{
    public static EventLog Of(params string[] traces)
    {
        var log = new EventLog();
        for (var i = 0; i < traces.Length; i++)
        {
            var t = new LogTrace("c" + (i + 1));
            foreach (var ch in traces[i])
            {
                t.Events.Add(new LogEvent(ch.ToString()));
            }
            log.Traces.Add(t);
        }
        return log;
    }

    public static EventLog Timed(params (string Activity, DateTimeOffset At)[][] traces)
    {
        var log = new EventLog();
        for (var i = 0; i < traces.Length; i++)
        {
            var t = new LogTrace("c" + (i + 1));
            foreach (var (a, at) in traces[i])
            {
                t.Events.Add(new LogEvent(a) { Timestamp = at });
            }
            log.Traces.Add(t);
        }
        return log;
    }
}
