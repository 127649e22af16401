using Guance.Billing.Settlement;

namespace Guance.Billing.Tests.Settlement;

/// <summary>Bills ordered by billing account are cut into slices that never share an account (they are charged at once).</summary>
public sealed class ChargeSlicesTests
{
    private static string Account(string bill) => bill.Split('/')[0];

    [Fact]
    public void Slices_are_about_equal_and_never_split_an_account()
    {
        string[] bills = ["a/1", "a/2", "b/1", "c/1", "c/2", "c/3", "d/1", "e/1"];

        var slices = ChargeSlices.Cut(bills, 3, Account);

        Assert.Equal([["a/1", "a/2", "b/1"], ["c/1", "c/2", "c/3"], ["d/1", "e/1"]], slices);
        var accounts = slices.Select(s => s.Select(Account).Distinct().ToList()).ToList();
        Assert.Equal(accounts.Sum(a => a.Count), accounts.SelectMany(a => a).Distinct().Count());
    }

    [Fact]
    public void One_account_stays_one_slice_and_one_slice_is_asked_for_all()
    {
        Assert.Single(ChargeSlices.Cut(["a/1", "a/2", "a/3", "a/4"], 4, Account));
        Assert.Single(ChargeSlices.Cut(["a/1", "b/1", "c/1"], 1, Account));
        Assert.Empty(ChargeSlices.Cut(Array.Empty<string>(), 4, Account));
    }

    [Fact]
    public void There_are_never_more_slices_than_asked()
    {
        var bills = Enumerable.Range(0, 100).Select(i => $"{i:D3}/1").ToList();

        var slices = ChargeSlices.Cut(bills, 4, Account);

        Assert.Equal(4, slices.Count);
        Assert.All(slices, s => Assert.Equal(25, s.Count));
    }
}
