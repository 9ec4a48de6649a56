using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Waymark.Core.Mining;

/// <summary>The XES (IEEE 1849) attribute types.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "These are the XES type names.")]
public enum AttributeKind : byte
{
    String = 0,
    Date = 1,
    Int = 2,
    Float = 3,
    Boolean = 4,
    Id = 5,
    /// <summary>An ordered list of attributes (XES 2.0 <c>&lt;list&gt;</c>).</summary>
    List = 6,
    /// <summary>A container of keyed attributes (XES 2.0 <c>&lt;container&gt;</c>).</summary>
    Container = 7,
}

/// <summary>
/// One typed XES attribute. Nested (meta-)attributes, list items and container
/// members are its <see cref="Children"/>. Immutable apart from the child list.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The factories are named after the XES types.")]
public sealed class XesAttribute : IEquatable<XesAttribute>
{
    private readonly string? _text;
    private readonly long _integer;
    private readonly double _real;
    private readonly DateTimeOffset _date;
    private List<XesAttribute>? _children;

    private XesAttribute(string key, AttributeKind kind, string? text = null, long integer = 0, double real = 0, DateTimeOffset date = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Kind = kind;
        _text = text;
        _integer = integer;
        _real = real;
        _date = date;
    }

    public string Key { get; }

    public AttributeKind Kind { get; }

    /// <summary>Nested attributes: meta-attributes, or the items of a list / members of a container.</summary>
    public List<XesAttribute> Children => _children ??= [];

    /// <summary>True when the attribute has nested attributes (without allocating the list).</summary>
    public bool HasChildren => _children is { Count: > 0 };

    public static XesAttribute String(string key, string value) => new(key, AttributeKind.String, value ?? throw new ArgumentNullException(nameof(value)));

    public static XesAttribute Id(string key, string value) => new(key, AttributeKind.Id, value ?? throw new ArgumentNullException(nameof(value)));

    public static XesAttribute Date(string key, DateTimeOffset value) => new(key, AttributeKind.Date, date: value);

    public static XesAttribute Int(string key, long value) => new(key, AttributeKind.Int, integer: value);

    public static XesAttribute Float(string key, double value) => new(key, AttributeKind.Float, real: value);

    public static XesAttribute Boolean(string key, bool value) => new(key, AttributeKind.Boolean, integer: value ? 1 : 0);

    public static XesAttribute List(string key, IEnumerable<XesAttribute> items)
    {
        var a = new XesAttribute(key, AttributeKind.List);
        a.Children.AddRange(items);
        return a;
    }

    public static XesAttribute Container(string key, IEnumerable<XesAttribute> members)
    {
        var a = new XesAttribute(key, AttributeKind.Container);
        a.Children.AddRange(members);
        return a;
    }

    /// <summary>The value of a string or id attribute.</summary>
    public string StringValue => Kind is AttributeKind.String or AttributeKind.Id ? _text! : throw WrongKind(AttributeKind.String);

    public DateTimeOffset DateValue => Kind == AttributeKind.Date ? _date : throw WrongKind(AttributeKind.Date);

    public long IntValue => Kind == AttributeKind.Int ? _integer : throw WrongKind(AttributeKind.Int);

    public double FloatValue => Kind == AttributeKind.Float ? _real : throw WrongKind(AttributeKind.Float);

    public bool BooleanValue => Kind == AttributeKind.Boolean ? _integer != 0 : throw WrongKind(AttributeKind.Boolean);

    /// <summary>The value as XES writes it (invariant culture); empty for lists and containers.</summary>
    public string ValueText => Kind switch
    {
        AttributeKind.String or AttributeKind.Id => _text!,
        AttributeKind.Date => FormatDate(_date),
        AttributeKind.Int => _integer.ToString(CultureInfo.InvariantCulture),
        AttributeKind.Float => _real.ToString("R", CultureInfo.InvariantCulture),
        AttributeKind.Boolean => _integer != 0 ? "true" : "false",
        _ => "",
    };

    /// <summary>xs:dateTime with milliseconds, or with ticks when the value has sub-millisecond precision.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    public bool Equals(XesAttribute? other)
    {
        if (other is null || other.Key != Key || other.Kind != Kind)
        {
            return false;
        }
        var same = Kind switch
        {
            AttributeKind.String or AttributeKind.Id => string.Equals(_text, other._text, StringComparison.Ordinal),
            AttributeKind.Date => _date == other._date && _date.Offset == other._date.Offset,
            AttributeKind.Float => _real.Equals(other._real),
            AttributeKind.Int or AttributeKind.Boolean => _integer == other._integer,
            _ => true,
        };
        if (!same)
        {
            return false;
        }
        var n = _children?.Count ?? 0;
        if (n != (other._children?.Count ?? 0))
        {
            return false;
        }
        for (var i = 0; i < n; i++)
        {
            if (!_children![i].Equals(other._children![i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is XesAttribute a && Equals(a);

    public override int GetHashCode() => HashCode.Combine(Key, Kind, ValueText);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Key}={ValueText}";

    private InvalidOperationException WrongKind(AttributeKind wanted) =>
        new($"Attribute '{Key}' is {Kind}, not {wanted}.");
}
