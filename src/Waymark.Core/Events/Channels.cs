namespace Waymark.Core.Events;

/// <summary>The channels a customer can be seen on.</summary>
public static class Channels
{
    /// <summary>Every channel the protocol accepts, in the order the console lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        ["web", "mobile", "kiosk", "checkin", "contact-center", "chat", "email", "social", "server"];

    /// <summary>
    /// Channels whose device many customers share (a kiosk in a store, a
    /// check-in desk): an identity there belongs to one session, not to the device.
    /// </summary>
    public static bool IsSharedDevice(string channel) => channel is "kiosk" or "checkin";

    /// <summary>The canonical name of a channel, or null when it is not one.</summary>
    public static string? Normalize(string? channel)
    {
        if (channel is null)
        {
            return null;
        }
        foreach (var c in All)
        {
            if (string.Equals(c, channel, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }
        return string.Equals(channel, "contact_center", StringComparison.OrdinalIgnoreCase) ? "contact-center" : null;
    }
}
