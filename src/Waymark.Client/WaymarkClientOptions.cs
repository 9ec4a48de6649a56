namespace Waymark.Client;

/// <summary>
/// Settings of a <see cref="WaymarkClient"/>. <see cref="Endpoint"/>,
/// <see cref="App"/> and <see cref="Channel"/> are required; every limit has a
/// default that suits a kiosk or an app (docs/client-sdk.md lists them).
/// </summary>
public sealed class WaymarkClientOptions
{
    /// <summary>The Waymark server, e.g. <c>https://rum.example.com/</c>; beacons go to <c>{Endpoint}/v1/beacon</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The app id configured on the server (<c>Waymark:Apps</c>).</summary>
    public string? App { get; set; }

    /// <summary>The app's ingest key.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// The channel: <c>mobile</c>, <c>kiosk</c>, <c>checkin</c>, <c>web</c>, <c>server</c>,
    /// <c>contact-center</c>, <c>chat</c>, <c>email</c> or <c>social</c>. On the shared
    /// devices (<c>kiosk</c>, <c>checkin</c>) an identity belongs to one session only.
    /// </summary>
    public string? Channel { get; set; }

    /// <summary>
    /// The stable id of this device or installation. Null (the default): a random
    /// id made on first start and kept in <see cref="QueueDirectory"/>. A kiosk may
    /// give its own device id instead.
    /// </summary>
    public string? VisitorId { get; set; }

    /// <summary>The app's version, e.g. <c>4.2.0</c>.</summary>
    public string? AppVersion { get; set; }

    /// <summary>Where in the business the device stands: a store, a desk, a gate.</summary>
    public string? Touchpoint { get; set; }

    /// <summary>Device class: <c>kiosk</c>, <c>checkin</c>, <c>desktop</c>, <c>tablet</c>, <c>mobile</c>, …
    /// Default: the channel's own for kiosk, checkin, mobile and server; otherwise none.</summary>
    public string? DeviceClass { get; set; }

    /// <summary>Operating system name. Default: the one the app runs on (Windows, Linux, macOS, Android, iOS), with its version.</summary>
    public string? Os { get; set; }

    /// <summary>Device model, e.g. the kiosk's hardware model.</summary>
    public string? Model { get; set; }

    /// <summary>The user interface's locale, e.g. <c>nl-NL</c>. Default: the current UI culture, when it has a name.</summary>
    public string? Locale { get; set; }

    /// <summary>
    /// Hosts whose HTTP calls are first-party (a host matches itself and its
    /// subdomains); <see cref="WaymarkHttpHandler"/> marks calls to other hosts
    /// third-party. Empty (the default): the server decides from its own list.
    /// </summary>
    public IList<string> FirstPartyHosts { get; } = [];

    /// <summary>
    /// The folder of the on-disk queue (and the visitor id). Default:
    /// <c>LocalApplicationData/Waymark/&lt;App&gt;</c>. One client at a time may use a folder.
    /// </summary>
    public string? QueueDirectory { get; set; }

    /// <summary>The queue's bound in bytes on disk; when full, the oldest batch is dropped and counted. Default 16 MiB; at least 1 MiB.</summary>
    public long MaxQueueBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The queue's bound in events; when full, the oldest batch is dropped and counted. Default 50 000; at least <see cref="BatchSize"/>.</summary>
    public int MaxQueueEvents { get; set; } = 50_000;

    /// <summary>Events per request, 1 … 1000. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a batch may wait to fill before it is sent. Default 5 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's delay; each next one doubles, with jitter. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries (a server's Retry-After is honoured up to an hour). Default 5 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The time limit of one request to the server. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="WaymarkClient.DisposeAsync"/> tries to deliver what is queued; the rest is sent at the next start. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A session ends after this long without an event. Default 30 min (the server's rule).</summary>
    public TimeSpan SessionInactivity { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends when it is this long. Default 6 h (the server's rule).</summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A session ends after this many user actions (screen views and actions). Default 200 (the server's rule).</summary>
    public int SessionMaxActions { get; set; } = 200;

    /// <summary>
    /// Each recorded event is forced to the storage device (fsync) before the call
    /// returns, so a power cut loses nothing recorded. False leaves that to the
    /// operating system: a crash of the app still loses nothing, a power cut may
    /// lose the last seconds. Default true.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>
    /// E-mail addresses, phone numbers and loyalty card numbers given to
    /// <see cref="WaymarkClient.Identify"/> in clear are normalised and hashed
    /// (<see cref="WaymarkIdentity.Hash"/>) on the device, so they are neither
    /// queued on disk nor sent in clear. Default true.
    /// </summary>
    public bool HashIdentities { get; set; } = true;

    /// <summary>The handler of the SDK's own HTTP client (tests, proxies). Not disposed by the client.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
