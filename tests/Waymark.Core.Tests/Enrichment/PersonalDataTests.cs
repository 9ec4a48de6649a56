using Waymark.Core.Enrichment;

namespace Waymark.Core.Tests.Enrichment;

public sealed class PersonalDataTests
{
    [Theory]
    // Cards: Visa, Mastercard, Amex test numbers, with and without separators.
    [InlineData("Card 4242424242424242 was declined", "Card [card] was declined")]
    [InlineData("charge on 5555-5555-5555-4444 failed (insufficient funds)", "charge on [card] failed (insufficient funds)")]
    [InlineData("amex 3782 822463 10005 expired", "amex [card] expired")]
    // IBANs: German, British, French (spaced in fours).
    [InlineData("Refund to DE89 3704 0044 0532 0130 00 queued", "Refund to [iban] queued")]
    [InlineData("SEPA mandate GB82WEST12345698765432 rejected", "SEPA mandate [iban] rejected")]
    [InlineData("iban=FR1420041010050500013M02606", "iban=[iban]")]
    // Phones: international, national with trunk zero, North American.
    [InlineData("Callback requested: +44 20 7946 0958", "Callback requested: [phone]")]
    [InlineData("SMS to +33612345678 failed", "SMS to [phone] failed")]
    [InlineData("Ring me on 06 12 34 56 78 tomorrow", "Ring me on [phone] tomorrow")]
    [InlineData("Support line (415) 555-2671", "Support line [phone]")]
    // E-mail together with a card.
    [InlineData("jane.doe@mail.example paid with 4000056655665556", "[email] paid with [card]")]
    public void Mask_PersonalData_IsReplaced(string text, string expected)
    {
        Assert.Equal(expected, PersonalData.Mask(text));
    }

    [Theory]
    // Order number of card length failing Luhn.
    [InlineData("Order 4242424242424241 could not be shipped")]
    // 16 digits passing Luhn but starting with 1 (an id, not a card).
    [InlineData("trace 1000000000000009 sampled")]
    // An epoch in milliseconds.
    [InlineData("cache stamp 1733130000000 stale")]
    // IBAN with a wrong check digit.
    [InlineData("Refund to DE88370400440532013000 queued")]
    // Looks like a country and digits but no IBAN.
    [InlineData("Build AB12CDEF34567890 deployed")]
    // A booking reference, a line and column, an ISO timestamp, a version, a short phone-like id.
    [InlineData("Booking HZ-20931 not found")]
    [InlineData("at render (https://app.example/main.3f2a.js:1042:17)")]
    [InlineData("Timeout at 2026-12-02T06:30:15.123Z after 30000 ms")]
    [InlineData("Upgrade to 18.2.0 required")]
    [InlineData("customer 73829104 has no consent")]
    [InlineData("Error 1234567890 in module")]
    public void Mask_NearMisses_AreKept(string text)
    {
        Assert.Same(text, PersonalData.Mask(text));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("6011 1111 1111 1117", true)]
    [InlineData("411111111111", false)]
    public void IsCard_Luhn(string number, bool expected) => Assert.Equal(expected, PersonalData.IsCard(number));

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("de89 3704 0044 0532 0130 00", true)]
    [InlineData("NL91ABNA0417164300", true)]
    [InlineData("NL91ABNA0417164301", false)]
    [InlineData("DE8937040044", false)]
    public void IsIban_Mod97(string iban, bool expected) => Assert.Equal(expected, PersonalData.IsIban(iban));

    [Fact]
    public void Masker_AppRulesAndProps_AreMasked()
    {
        var masker = new Masker(new MaskingOptions { Rules = [new MaskRule { Pattern = "HZ-[0-9]{5}", Replacement = "[booking]" }] });
        Assert.Equal("Booking [booking] not found", masker.Mask("Booking HZ-20931 not found"));
        Assert.Equal("/trips/[booking]/seats", masker.MaskUrl("/trips/HZ-20931/seats"));
        Assert.Equal("/cards/[card]", masker.MaskUrl("/cards/4242424242424242"));
        var props = masker.MaskProps("{\"plan\":\"gold\",\"contact\":\"jane@mail.example\",\"n\":4242424242424242,\"refs\":[\"HZ-11111\",\"ok\"],\"nested\":{\"phone\":\"+33612345678\"}}");
        Assert.Equal("{\"plan\":\"gold\",\"contact\":\"[email]\",\"n\":4242424242424242,\"refs\":[\"[booking]\",\"ok\"],\"nested\":{\"phone\":\"[phone]\"}}", props);
        const string plain = "{\"plan\":\"gold\",\"seats\":2}";
        Assert.Same(plain, new Masker(new MaskingOptions()).MaskProps(plain));
    }

    [Fact]
    public void MaskUrl_AllowedQueryValue_IsMaskedToo()
    {
        var masker = new Masker(new MaskingOptions { AllowedQueryKeys = ["ref"] });
        Assert.Equal("https://shop.example/pay?ref=[card]", masker.MaskUrl("https://shop.example/pay?ref=4242424242424242&email=a@b.example"));
    }
}
