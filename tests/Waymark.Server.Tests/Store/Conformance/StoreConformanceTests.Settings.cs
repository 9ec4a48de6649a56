using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Settings_LatestSaveWins_RemovalHides_KindsAndAppsApart()
    {
        await using var store = await CreateAsync();
        var settings = store.As<IExperienceSettings>();
        var ct = CancellationToken.None;

        await settings.SaveSettingAsync(new StoredSetting("shop", SettingKinds.Segment, "safari", "browser=Safari", "olga", T0), ct);
        await settings.SaveSettingAsync(new StoredSetting("shop", SettingKinds.Segment, "safari", "browser=Safari&device=mobile", "piet", T0.AddMinutes(1)), ct);
        await settings.SaveSettingAsync(new StoredSetting("shop", SettingKinds.Segment, "app", "channel=mobile", "olga", T0), ct);
        await settings.SaveSettingAsync(new StoredSetting("shop", SettingKinds.Noise, "abc123", "", "olga", T0), ct);
        await settings.SaveSettingAsync(new StoredSetting("other", SettingKinds.Segment, "safari", "browser=Safari", "olga", T0), ct);

        var segments = await settings.ListSettingsAsync("shop", SettingKinds.Segment, ct);
        Assert.Equal([("app", "channel=mobile", "olga"), ("safari", "browser=Safari&device=mobile", "piet")], segments.Select(s => (s.Key, s.Value, s.Author)));
        Assert.Equal(T0.AddMinutes(1), segments[1].Saved);
        Assert.Equal(["abc123"], (await settings.ListSettingsAsync("shop", SettingKinds.Noise, ct)).Select(s => s.Key));

        Assert.True(await settings.RemoveSettingAsync("shop", SettingKinds.Segment, "safari", "olga", T0.AddMinutes(2), ct));
        Assert.False(await settings.RemoveSettingAsync("shop", SettingKinds.Segment, "safari", "olga", T0.AddMinutes(3), ct));
        Assert.Equal(["app"], (await settings.ListSettingsAsync("shop", SettingKinds.Segment, ct)).Select(s => s.Key));
        Assert.Single(await settings.ListSettingsAsync("other", SettingKinds.Segment, ct));

        // Saved again after a removal, it is back.
        await settings.SaveSettingAsync(new StoredSetting("shop", SettingKinds.Segment, "safari", "browser=Safari", "olga", T0.AddMinutes(4)), ct);
        Assert.Equal(["app", "safari"], (await settings.ListSettingsAsync("shop", SettingKinds.Segment, ct)).Select(s => s.Key));
    }
}
