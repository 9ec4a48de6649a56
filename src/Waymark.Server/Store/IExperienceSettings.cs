namespace Waymark.Server.Store;

/// <summary>What a kind of setting is: a saved segment or an error's mark.</summary>
public static class SettingKinds
{
    /// <summary>A saved segment: the key is its name, the value its filter as a query string.</summary>
    public const string Segment = "segment";

    /// <summary>An error group marked as known noise: the key is its fingerprint, the value empty.</summary>
    public const string Noise = "noise";
}

/// <summary>One setting of an app as it stands: the last value saved for its kind and key.</summary>
public sealed record StoredSetting(string App, string Kind, string Key, string Value, string Author, DateTimeOffset Saved);

/// <summary>
/// The analysts' settings of the experience analytics, per app: saved
/// segments (shared by name) and error groups marked as known noise. Saving
/// adds a row and never changes one; the latest row of a kind and key wins,
/// and a removal is a row that says so, so both stores need nothing but appends.
/// </summary>
public interface IExperienceSettings
{
    /// <summary>Saves (or replaces) the setting; with <paramref name="removed"/>, a row that removes it.</summary>
    Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken, bool removed = false);

    /// <summary>The settings of one kind of the app that are not removed, by key.</summary>
    Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string app, string kind, CancellationToken cancellationToken);
}

public static class ExperienceSettingsExtensions
{
    /// <summary>Removes the setting; false when there was none.</summary>
    public static async Task<bool> RemoveSettingAsync(this IExperienceSettings settings, string app, string kind, string key, string author, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!(await settings.ListSettingsAsync(app, kind, cancellationToken)).Any(s => s.Key == key))
        {
            return false;
        }
        await settings.SaveSettingAsync(new StoredSetting(app, kind, key, "", author, at), cancellationToken, removed: true);
        return true;
    }
}
