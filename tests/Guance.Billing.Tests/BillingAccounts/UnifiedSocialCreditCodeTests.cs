using Guance.Billing.BillingAccounts;

namespace Guance.Billing.Tests.BillingAccounts;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000600037341L")]
    [InlineData("9144030071526726XG")]
    [InlineData("91310000775785552L")]
    public void Real_codes_are_valid(string code) => Assert.True(UnifiedSocialCreditCode.IsValid(code));

    [Theory]
    [InlineData("91350100M000100Y44")] // wrong check character
    [InlineData("91110000600037341K")]
    [InlineData("91350100M000100Y4")] // 17 characters
    [InlineData("91350100M000100Y433")] // 19
    [InlineData("91350100M0001I0Y43")] // I is not allowed
    [InlineData("91350100M000100S43")] // S is not allowed
    [InlineData("91350100m000100Y43")] // lower case is normalized by the caller, not here
    public void Anything_else_is_not(string code) => Assert.False(UnifiedSocialCreditCode.IsValid(code));

    [Fact]
    public void The_check_character_is_the_one_that_makes_the_weighted_sum_a_multiple_of_31()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var body = "91350100M000100Y4";
        var check = UnifiedSocialCreditCode.CheckCharacter(body);
        var sum = 0;
        var weight = 1;
        for (var i = 0; i < 17; i++)
        {
            sum += alphabet.IndexOf(body[i]) * weight;
            weight = weight * 3 % 31;
        }
        Assert.Equal(0, (sum + alphabet.IndexOf(check)) % 31);
        Assert.Equal('3', check);
    }

    [Fact]
    public void Input_is_trimmed_and_upper_cased() => Assert.Equal("91350100M000100Y43", UnifiedSocialCreditCode.Normalize(" 91350100m000100y43 "));
}
