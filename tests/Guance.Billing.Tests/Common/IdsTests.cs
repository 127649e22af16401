using Guance.Billing.Common;
using Microsoft.Extensions.Time.Testing;

namespace Guance.Billing.Tests.Common;

public sealed class IdsTests
{
    [Fact]
    public void Ids_are_well_formed_and_increase_even_within_one_millisecond()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New("ws", clock)).ToList();

        Assert.All(ids, id => Assert.True(Ids.IsWellFormed(id, "ws"), id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("ws_")]
    [InlineData("usr_01m8804xa7a4e3hxpn0nnt1asx")]
    [InlineData("ws_01m8804xa7a4e3hxpn0nnt1as")]
    [InlineData("ws_01m8804xa7a4e3hxpn0nnt1asX")]
    [InlineData("ws_01m8804xa7a4e3hxpn0nnt1asu")]
    public void Malformed_ids_are_recognized(string id) => Assert.False(Ids.IsWellFormed(id, "ws"));

    [Fact]
    public void Page_tokens_round_trip_and_belong_to_their_list()
    {
        var token = Paging.Encode("members", "usr_abc");
        Assert.Equal("usr_abc", Paging.Decode(token, "members"));
        Assert.Null(Paging.Decode("", "members"));
        var error = Assert.Throws<BillingException>(() => Paging.Decode(token, "workspaces"));
        Assert.Equal("page_token", Assert.Single(error.FieldViolations).Field);

        // The list is named by a hash: the token echoes neither its owner nor its filters, whatever characters they hold.
        const string scoped = "tickets|usr_owner|line one\nline two";
        var opaque = Paging.Encode(scoped, "tk_1");
        var base64 = opaque.Replace('-', '+').Replace('_', '/');
        var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
        Assert.DoesNotContain("usr_owner", decoded, StringComparison.Ordinal);
        Assert.Equal("tk_1", Paging.Decode(opaque, scoped));
    }
}
