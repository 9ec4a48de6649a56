using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>A demo batch as the protocol-v1 beacon a client would post (docs/protocol.md).</summary>
internal static class DemoWire
{
    public static byte[] ToBeacon(DemoBatch batch, string? key = null)
    {
        var c = batch.Context;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("app", c.App);
            Optional(w, "key", key);
            w.WriteString("channel", c.Channel);
            w.WriteString("visitor", c.Visitor);
            Optional(w, "session", c.ClientSession);
            Optional(w, "user", c.UserTag);
            w.WriteNumber("sentAt", c.Received.ToUnixTimeMilliseconds());
            w.WriteStartObject("device");
            w.WriteString("class", c.DeviceClass);
            Optional(w, "os", c.Os);
            Optional(w, "osVersion", c.OsVersion);
            Optional(w, "browser", c.Browser);
            Optional(w, "browserVersion", c.BrowserVersion);
            Optional(w, "model", c.Model);
            Optional(w, "locale", c.Locale);
            w.WriteEndObject();
            w.WriteStartObject("context");
            Optional(w, "appVersion", c.AppVersion);
            Optional(w, "touchpoint", c.Touchpoint);
            w.WriteEndObject();
            w.WriteStartArray("events");
            foreach (var e in batch.Events)
            {
                WriteEvent(w, e);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter w, IncomingEvent e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.EventId);
        w.WriteString("type", EventTypes.Name(e.Type));
        w.WriteNumber("ts", e.Timestamp.ToUnixTimeMilliseconds());
        Optional(w, "name", e.Name);
        Optional(w, "url", e.Url);
        Optional(w, "duration", e.Duration);
        Optional(w, "status", e.Status);
        Optional(w, "method", e.Method);
        if (e.ThirdParty)
        {
            w.WriteBoolean("thirdParty", true);
        }
        Optional(w, "value", e.Value);
        Optional(w, "message", e.Message);
        Optional(w, "stack", e.Stack);
        Optional(w, "source", e.Source);
        Optional(w, "fingerprint", e.Fingerprint);
        Optional(w, "target", e.Target);
        if (e.Frustration is not null)
        {
            w.WriteStartArray("frustration");
            foreach (var f in e.Frustration.Split(','))
            {
                w.WriteStringValue(f);
            }
            w.WriteEndArray();
        }
        Optional(w, "action", e.ActionId);
        if (e.Props is not null)
        {
            w.WritePropertyName("props");
            w.WriteRawValue(e.Props);
        }
        if (e.Failed)
        {
            w.WriteBoolean("failed", true);
        }
        if (e.Identity is { } id)
        {
            Optional(w, "user", id.Value);
            Optional(w, "idType", id.Kind);
            if (id.Hashed)
            {
                w.WriteBoolean("hashed", true);
            }
        }
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
