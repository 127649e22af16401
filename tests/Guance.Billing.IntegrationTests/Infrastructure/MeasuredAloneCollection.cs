namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that observe what the whole process shares (its managed memory; the meters and
/// activity sources that every host in it feeds): xunit runs them after every parallel collection and
/// one at a time, so that no other test's host starts, allocates or is disposed while they observe.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}
