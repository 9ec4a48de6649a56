namespace Waymark.Client;

public sealed partial class WaymarkClient
{
    private readonly Lock _sessionLock = new();
    private SessionState? _session;

    /// <summary>
    /// The current session's id, or null before the first event and after
    /// <see cref="EndSession"/>. Random; the server's session of the same id
    /// holds its events (<c>GET /v1/sessions/{id}</c>).
    /// </summary>
    public string? SessionId
    {
        get
        {
            lock (_sessionLock)
            {
                return _session is { } s && !HasEnded(s, _time.GetUtcNow(), userAction: false) ? s.Id : null;
            }
        }
    }

    /// <summary>
    /// Starts a new session now: the next customer at a kiosk, a new visit. A
    /// session still open is ended first (<see cref="EndSession"/>). Without
    /// this call a session starts with the first event, and a new one after
    /// <see cref="WaymarkClientOptions.SessionInactivity"/> without events,
    /// after <see cref="WaymarkClientOptions.SessionMaxDuration"/> or after
    /// <see cref="WaymarkClientOptions.SessionMaxActions"/> user actions, as the server counts.
    /// </summary>
    public void StartSession()
    {
        EndSession();
        lock (_sessionLock)
        {
            _session = new SessionState(NewId(), _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Ends the current session with a <c>session_end</c> event: the customer
    /// left, logged out, the kiosk went back to its welcome screen. On a shared
    /// device (kiosk, check-in) the identity given with <see cref="Identify"/>
    /// ends with it. The next event starts a new session.
    /// </summary>
    public void EndSession() => Record("session_end", userAction: false, fields: null);

    /// <summary>Under the session lock: the session of an event recorded now, a new one when the last has ended.</summary>
    private string Touch(DateTimeOffset now, bool userAction)
    {
        if (_session is not { } s || HasEnded(s, now, userAction))
        {
            s = _session = new SessionState(NewId(), now);
        }
        if (now > s.LastActivity)
        {
            s.LastActivity = now;
        }
        if (userAction)
        {
            s.UserActions++;
        }
        return s.Id;
    }

    /// <summary>Under the session lock: the session a session_end closes, or null when none is open (nothing to end).</summary>
    private string? EndCurrentSession(DateTimeOffset now)
    {
        var s = _session;
        _session = null;
        // A session the rules already ended is ended on the server too; a
        // session_end now would open (and close) an empty one there.
        return s is null || HasEnded(s, now, userAction: false) ? null : s.Id;
    }

    /// <summary>The server's rules (SessionRules): idle longer than the inactivity, as long as the maximum, or full of user actions.</summary>
    private bool HasEnded(SessionState s, DateTimeOffset now, bool userAction) =>
        now - s.LastActivity > _options.SessionInactivity ||
        now - s.Start >= _options.SessionMaxDuration ||
        (userAction && s.UserActions >= _options.SessionMaxActions);

    private sealed class SessionState(string id, DateTimeOffset start)
    {
        public string Id { get; } = id;
        public DateTimeOffset Start { get; } = start;
        public DateTimeOffset LastActivity { get; set; } = start;
        public int UserActions { get; set; }
    }
}
