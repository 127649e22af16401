using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Wallets;

/// <summary>The format of Huawei Cloud order numbers and account ids, and the retention a registered commercial workspace starts with.</summary>
public sealed class HuaweiCardOrderRulesTests
{
    [Theory]
    [InlineData("CS2611020001", true)]
    [InlineData("hw_buyer-01", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("CS 2611", false)]
    [InlineData("CS/2611", false)]
    [InlineData("订单2611", false)]
    public void A_reference_is_1_to_64_ascii_letters_digits_hyphens_or_underscores(string? value, bool valid) =>
        Assert.Equal(valid, HuaweiCardOrders.IsReference(value));

    [Fact]
    public void A_reference_of_65_characters_is_too_long()
    {
        Assert.True(HuaweiCardOrders.IsReference(new string('x', 64)));
        Assert.False(HuaweiCardOrders.IsReference(new string('x', 65)));
    }

    [Fact]
    public void The_defaults_of_a_plan_start_at_once_for_every_data_type()
    {
        var at = new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);
        var defaults = RetentionPolicy.Defaults("ws_1", Plan.Commercial, at, "usr_1");
        Assert.Equal(RetentionPolicy.DataTypes.Order(), defaults.Select(d => d.DataType).Order());
        Assert.All(defaults, d => Assert.Equal((at, at, "usr_1", RetentionPolicy.DefaultDays(Plan.Commercial, d.DataType)), (d.EffectiveFrom, d.RequestedAt, d.RequestedByUserId, d.Days)));
    }
}
