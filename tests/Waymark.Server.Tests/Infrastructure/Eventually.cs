namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Waits for a condition with a generous bound (60 s), never for a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The first non-null value <paramref name="read"/> gives within the bound.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, string what = "a value", int seconds = 60)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
