using Waymark.Client.Internal;

namespace Waymark.Client;

public sealed partial class WaymarkClient
{
    /// <summary>A screen (a page of the app, a step of the kiosk) was shown: a user action.</summary>
    /// <param name="name">The screen's name, e.g. <c>Check-in/Passport</c>.</param>
    /// <param name="loadDuration">How long it took to show, when known (rated by Apdex).</param>
    /// <param name="props">Up to 32 properties: strings, numbers, booleans.</param>
    public void ScreenView(string name, TimeSpan? loadDuration = null, IReadOnlyDictionary<string, object?>? props = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Record("view", userAction: true, w =>
        {
            EventJson.Text(w, "name", name);
            EventJson.Duration(w, "duration", loadDuration);
            EventJson.Props(w, props);
        });
    }

    /// <summary>
    /// A user action starts (a tap, a button, a scan); dispose the scope when
    /// it has finished to record it with its duration. HTTP calls through
    /// <see cref="WaymarkHttpHandler"/> and errors recorded in the scope are linked to it.
    /// Call <see cref="ActionScope.Fail"/> when it failed, or use
    /// <see cref="ActionAsync(string, Func{Task})"/>, which does that on an exception.
    /// </summary>
    /// <example><code>
    /// using (var pay = waymark.Action("Pay"))
    /// {
    ///     if (!await terminal.PayAsync()) pay.Fail();
    /// }
    /// </code></example>
    public ActionScope Action(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var scope = new ActionScope(this, NewId(), name, _time.GetUtcNow(), _time.GetTimestamp(), _currentAction.Value);
        _currentAction.Value = scope;
        return scope;
    }

    /// <summary>Runs <paramref name="body"/> as a user action; an exception marks it failed, is recorded as an error of it, and is rethrown.</summary>
    public async Task ActionAsync(string name, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var scope = Action(name);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> as a user action and returns its result; an exception marks it failed, is recorded as an error of it, and is rethrown.</summary>
    public async Task<T> ActionAsync<T>(string name, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var scope = Action(name);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    /// <summary>A custom event: a step of a process, a choice, a device state.</summary>
    /// <param name="name">What happened, e.g. <c>bag-tag-printed</c>.</param>
    /// <param name="props">Up to 32 properties: strings, numbers, booleans.</param>
    public void Track(string name, IReadOnlyDictionary<string, object?>? props = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Record("custom", userAction: false, w =>
        {
            EventJson.Text(w, "name", name);
            EventJson.Props(w, props);
        });
    }

    /// <summary>A goal was reached: an order, a check-in completed, a sign-up.</summary>
    /// <param name="name">The goal.</param>
    /// <param name="value">Its value (e.g. the order total), summed per session.</param>
    public void Conversion(string name, double? value = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Record("conversion", userAction: false, w =>
        {
            EventJson.Text(w, "name", name);
            EventJson.Number(w, "value", value);
        });
    }

    /// <summary>
    /// Names who the visitor is: a login (<c>user</c>), or a customer key —
    /// <c>email</c>, <c>phone</c>, or a <c>loyalty</c> card scanned at a kiosk.
    /// On a shared device (kiosk, check-in) the identity belongs to the current
    /// session only. With <see cref="WaymarkClientOptions.HashIdentities"/> (the
    /// default) e-mail, phone and loyalty values are hashed on the device.
    /// </summary>
    /// <param name="value">The user tag, or the e-mail, phone or card number; or its <see cref="WaymarkIdentity.Hash"/> with <paramref name="hashed"/>.</param>
    /// <param name="idType"><c>user</c> (default), <c>email</c>, <c>phone</c> or <c>loyalty</c>.</param>
    /// <param name="traits">Properties of the customer (tier, language); <c>email</c>, <c>phone</c> and <c>loyalty</c> traits are hashed by the server.</param>
    /// <param name="hashed">The value is already the lower-case hex SHA-256 of the normalised value (<see cref="WaymarkIdentity.Hash"/>).</param>
    /// <exception cref="ArgumentException">An unknown <paramref name="idType"/>, or a <paramref name="hashed"/> value that is not 64 hex digits.</exception>
    public void Identify(string value, string idType = WaymarkIdentity.User, IReadOnlyDictionary<string, object?>? traits = null, bool hashed = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var kind = WaymarkIdentity.Kind(idType);
        var user = value;
        var isHashed = false;
        if (kind != WaymarkIdentity.User)
        {
            if (hashed)
            {
                user = value.Trim().ToLowerInvariant();
                if (!WaymarkIdentity.IsHash(user))
                {
                    throw new ArgumentException("A hashed identity is the 64 lower-case hex digits of a SHA-256 (WaymarkIdentity.Hash).", nameof(value));
                }
                isHashed = true;
            }
            else if (_options.HashIdentities || value.Length > EventJson.MaxId)
            {
                user = WaymarkIdentity.Hash(kind, value);
                isHashed = true;
            }
        }
        else if (value.Length > EventJson.MaxId)
        {
            user = EventJson.Cut(value, EventJson.MaxId);
            Log.UserTagCut(_logger, EventJson.MaxId);
        }
        Record("identify", userAction: false, w =>
        {
            w.WriteString("user", user);
            w.WriteString("idType", kind);
            if (isHashed)
            {
                w.WriteBoolean("hashed", true);
            }
            EventJson.Props(w, traits);
        });
    }

    /// <summary>
    /// An error the app caught (or, with <paramref name="fatal"/>, one that ends
    /// it). Recorded with its message, stack, source and a fingerprint (a stable
    /// hash of its type and top frames, so the same fault groups together), and
    /// linked to the current <see cref="ActionScope"/>.
    /// </summary>
    public void TrackError(Exception exception, bool fatal = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        RecordError(exception, fatal, _currentAction.Value?.Id, crash: false);
    }

    internal void RecordError(Exception exception, bool fatal, string? actionId, bool crash)
    {
        string message, stack, fingerprint;
        string? source;
        try
        {
            (fingerprint, source) = Describe(exception);
            message = exception.GetType().Name + ": " + exception.Message;
            stack = exception.ToString();
        }
#pragma warning disable CA1031 // An exception whose ToString or stack throws must not break the app's error handling.
        catch (Exception)
#pragma warning restore CA1031
        {
            (fingerprint, source, message, stack) = (exception.GetType().FullName ?? "error", null, exception.GetType().Name, "");
        }
        Record("error", userAction: false, w =>
        {
            EventJson.Text(w, "message", message);
            EventJson.Text(w, "stack", stack, EventJson.MaxStack);
            EventJson.Text(w, "source", source);
            EventJson.Text(w, "fingerprint", fingerprint, 128);
            EventJson.Text(w, "action", actionId, EventJson.MaxId);
            if (fatal)
            {
                w.WriteBoolean("fatal", true);
            }
        }, crash: crash);
    }

    internal void EndAction(ActionScope scope, TimeSpan duration, bool failed)
    {
        if (_currentAction.Value == scope)
        {
            _currentAction.Value = scope.Parent;
        }
        Record("action", userAction: true, w =>
        {
            EventJson.Text(w, "name", scope.Name);
            EventJson.Duration(w, "duration", duration);
            if (failed)
            {
                w.WriteBoolean("failed", true);
            }
        }, id: scope.Id, at: scope.Started);
    }

    /// <summary>An HTTP call the app made (<see cref="WaymarkHttpHandler"/>). Never throws.</summary>
    internal void RecordRequest(HttpRequestMessage request, int status, TimeSpan duration)
    {
        try
        {
            if (request.RequestUri is not { } uri)
            {
                return;
            }
            // No query string, fragment or user info: they carry personal data.
            var url = uri.IsAbsoluteUri
                ? uri.Scheme + "://" + uri.Authority + uri.AbsolutePath
                : uri.OriginalString.Split('?', '#')[0];
            var thirdParty = uri.IsAbsoluteUri && _firstPartyHosts.Length > 0 && !IsFirstParty(uri.Host);
            var actionId = _currentAction.Value?.Id;
            var method = request.Method.Method;
            Record("request", userAction: false, w =>
            {
                EventJson.Text(w, "url", url);
                EventJson.Text(w, "method", method, 16);
                w.WriteNumber("status", status);
                EventJson.Duration(w, "duration", duration);
                if (thirdParty)
                {
                    w.WriteBoolean("thirdParty", true);
                }
                if (status == 0)
                {
                    w.WriteBoolean("failed", true);
                }
                EventJson.Text(w, "action", actionId, EventJson.MaxId);
            });
        }
#pragma warning disable CA1031 // Measuring a call must never break it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private bool IsFirstParty(string host)
    {
        foreach (var h in _firstPartyHosts)
        {
            if (string.Equals(host, h, StringComparison.OrdinalIgnoreCase) ||
                host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
