using System.Globalization;

namespace Waymark.Demo;

/// <summary>What Horizon Travel's customer records hold besides the user tag, derived from it.</summary>
internal static class DemoCustomers
{
    /// <summary>A Dutch mobile number made from the tag's digits.</summary>
    public static string Phone(string customerTag) => "+31 6 " + Digits(customerTag, 8).Insert(4, " ");

    /// <summary>The loyalty card number printed on the card.</summary>
    public static string Loyalty(string customerTag) => "HZ-" + Digits(customerTag, 7);

    private static string Digits(string tag, int length)
    {
        var hash = (uint)tag.Aggregate(17, (h, c) => unchecked(h * 31 + c));
        return (hash % (uint)Math.Pow(10, length)).ToString(CultureInfo.InvariantCulture).PadLeft(length, '0');
    }
}
