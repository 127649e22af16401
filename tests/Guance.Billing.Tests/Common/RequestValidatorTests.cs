using Guance.Billing.Common;

namespace Guance.Billing.Tests.Common;

public sealed class RequestValidatorTests
{
    [Fact]
    public void Reports_each_field_once_and_at_most_100_violations_with_the_count_of_the_rest()
    {
        var validator = new RequestValidator();
        for (var i = 0; i < 32_000; i++)
        {
            validator.Check(false, $"lines[{i}].item_code", "must be an item code");
            validator.Check(false, $"lines[{i}].item_code", "appears in an earlier line");
        }

        var error = Assert.Throws<BillingException>(validator.ThrowIfInvalid);

        Assert.Equal("INVALID_ARGUMENT", error.Reason);
        Assert.Equal(Errors.MaxReportedViolations, error.FieldViolations.Count);
        Assert.Equal("lines[0].item_code", error.FieldViolations[0].Field);
        Assert.Equal("must be an item code", error.FieldViolations[0].Description);
        Assert.Equal("31900", error.Metadata["omitted_violations"]);
        Assert.EndsWith("; and 31900 more not listed.", error.Message);
        Assert.True(error.Message.Length < 5_000);
    }

    [Fact]
    public void A_few_violations_are_all_reported_without_a_count_of_omitted_ones()
    {
        var error = Assert.Throws<BillingException>(new RequestValidator()
            .Check(false, "name", "is required")
            .Check(true, "email", "is fine")
            .Check(false, "name", "is reported once")
            .ThrowIfInvalid);

        Assert.Equal("name", Assert.Single(error.FieldViolations).Field);
        Assert.False(error.Metadata.ContainsKey("omitted_violations"));
        Assert.Equal("The request has invalid fields: name is required.", error.Message);
    }

    [Fact]
    public void Size_says_whether_the_elements_are_worth_checking()
    {
        var validator = new RequestValidator();

        Assert.True(validator.Size(32, "kinds", 32));
        Assert.True(validator.IsValid);
        Assert.False(validator.Size(33, "kinds", 32));
        Assert.True(new RequestValidator().Size(0, "lines", 100, min: 1));

        var error = Assert.Throws<BillingException>(validator.ThrowIfInvalid);
        Assert.Equal(new FieldViolation("kinds", "must have at most 32 elements"), Assert.Single(error.FieldViolations));
    }

    [Fact]
    public void Echoed_values_are_capped_at_100_characters_with_an_ellipsis()
    {
        Assert.Equal("short", Errors.Echo("short"));
        Assert.Equal(new string('x', 100), Errors.Echo(new string('x', 100)));
        Assert.Equal(new string('x', 100) + "…", Errors.Echo(new string('x', 10_000)));

        var notFound = Errors.NotFound("workspace", new string('w', 5_000));
        Assert.True(notFound.Message.Length < 200);
        Assert.Equal(new string('w', 100) + "…", notFound.Metadata["workspace_id"]);
    }

    [Fact]
    public void A_valid_request_allocates_nothing_beyond_the_validator()
    {
        static long Allocated(Action check)
        {
            check();
            var before = GC.GetAllocatedBytesForCurrentThread();
            check();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var validator = Allocated(() => new RequestValidator().Check(true, "name", "is required").Check(true, "email", "is fine").ThrowIfInvalid());
        Assert.InRange(validator, 1, 32); // the validator object alone: no list or set until a field is bad

        // A batch's shape is checked for every batch of every agent.
        var options = new Guance.Billing.Usage.UsageOptions();
        Assert.Equal(0, Allocated(() => Guance.Billing.Usage.BatchAggregator.CheckShape(7, 10, options)));
    }
}
