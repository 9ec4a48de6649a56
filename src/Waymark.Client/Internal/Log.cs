using Microsoft.Extensions.Logging;

namespace Waymark.Client.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Waymark: the queue is full ({Bound}); dropped the oldest batch of {Events} events")]
    public static partial void QueueFullDropped(ILogger logger, string bound, int events);

    [LoggerMessage(2, LogLevel.Warning, "Waymark: could not write an event to the queue in {Directory}; it is lost")]
    public static partial void AppendFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Waymark: dropped an unreadable queue file {Path}")]
    public static partial void SegmentUnreadable(ILogger logger, string path, Exception? exception);

    [LoggerMessage(4, LogLevel.Debug, "Waymark: sent {Events} events ({Status})")]
    public static partial void Sent(ILogger logger, int events, int status);

    [LoggerMessage(5, LogLevel.Information, "Waymark: the server answered {Status}; retrying {Events} events in {Delay}")]
    public static partial void WillRetry(ILogger logger, int status, int events, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Information, "Waymark: could not reach the server ({Reason}); retrying {Events} events in {Delay}")]
    public static partial void NetworkRetry(ILogger logger, string reason, int events, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Error, "Waymark: the server refused a batch of {Events} events with {Status}; it is dropped: {Problem}")]
    public static partial void Refused(ILogger logger, int events, int status, string problem);

    [LoggerMessage(8, LogLevel.Warning, "Waymark: the server rejected {Rejected} of {Events} events: {Problem}")]
    public static partial void PartlyRejected(ILogger logger, int rejected, int events, string problem);

    [LoggerMessage(9, LogLevel.Error, "Waymark: the sender failed; it starts again in a moment")]
    public static partial void SenderFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Waymark: shut down with {Events} events queued; they are sent at the next start")]
    public static partial void LeftQueued(ILogger logger, long events);

    [LoggerMessage(11, LogLevel.Warning, "Waymark: could not record a {Type} event")]
    public static partial void RecordFailed(ILogger logger, string type, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Waymark: a user tag longer than {Max} characters was cut to that length")]
    public static partial void UserTagCut(ILogger logger, int max);
}
