using System.Globalization;
using Waymark.Client;

// record <endpoint> <queueDir> <count>: records <count> events in one session, prints
//   "SESSION <id>" and "RECORDED <count>", then waits to be killed (it ends itself
//   with FailFast after two minutes).
// crash <endpoint> <queueDir> <count>: the same, then dies of an unhandled exception.
// send <endpoint> <queueDir>: prints "QUEUED <n>", delivers the queue, prints
//   "FLUSHED", exits 0 (3 when the queue was not delivered within 60 s).
if (args.Length < 3 || args[0] is not ("record" or "crash" or "send"))
{
    Console.Error.WriteLine("usage: record|crash <endpoint> <queueDir> <count> | send <endpoint> <queueDir>");
    return 2;
}
var mode = args[0];
var options = new WaymarkClientOptions
{
    Endpoint = new Uri(args[1]),
    App = "shop",
    Key = "shop-key",
    Channel = "kiosk",
    AppVersion = "9.1.0",
    Touchpoint = "Amsterdam Central, kiosk 4",
    QueueDirectory = args[2],
    BatchSize = 25,
    FlushInterval = TimeSpan.FromMilliseconds(100),
    RetryDelay = TimeSpan.FromMilliseconds(200),
    MaxRetryDelay = TimeSpan.FromSeconds(1),
    ShutdownTimeout = TimeSpan.FromSeconds(1),
};

if (mode == "send")
{
    await using var sender = new WaymarkClient(options);
    Console.WriteLine("QUEUED " + sender.QueuedEvents.ToString(CultureInfo.InvariantCulture));
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    try
    {
        await sender.FlushAsync(timeout.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("NOT FLUSHED " + sender.QueuedEvents.ToString(CultureInfo.InvariantCulture));
        return 3;
    }
    Console.WriteLine("FLUSHED");
    return 0;
}

var count = int.Parse(args[3], CultureInfo.InvariantCulture);
var client = new WaymarkClient(options);
client.CaptureUnhandledExceptions();
client.StartSession();
Console.WriteLine("SESSION " + client.SessionId);
client.Identify("4000 1234 5678", WaymarkIdentity.Loyalty);
for (var i = 1; i < count; i++)
{
    if (i % 50 == 0)
    {
        client.ScreenView("Step " + (i / 50).ToString(CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(120));
    }
    else
    {
        client.Track("e-" + i.ToString(CultureInfo.InvariantCulture), new Dictionary<string, object?> { ["i"] = i });
    }
}
Console.WriteLine("RECORDED " + count.ToString(CultureInfo.InvariantCulture));
if (mode == "crash")
{
    var thread = new Thread(() => throw new InvalidOperationException("The card reader went away"));
    thread.Start();
    thread.Join();
}
Thread.Sleep(TimeSpan.FromMinutes(2));
Environment.FailFast("The test did not kill this process.");
return 1;
