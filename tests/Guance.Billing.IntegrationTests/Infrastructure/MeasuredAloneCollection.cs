namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that measure this process (its managed memory): xunit runs them after every parallel
/// collection and one at a time, so that nothing else allocates while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}
