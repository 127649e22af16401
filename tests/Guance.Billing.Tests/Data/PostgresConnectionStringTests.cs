using Guance.Billing.Common;
using Guance.Billing.Data;
using Npgsql;

namespace Guance.Billing.Tests.Data;

/// <summary>What the host adds to the operator's PostgreSQL connection string, and what it leaves to them.</summary>
public sealed class PostgresConnectionStringTests
{
    private static NpgsqlConnectionStringBuilder HostConnection(string configured) => new(DatabaseSetup.ConnectionString(
        new GuanceOptions { Database = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = configured } }));

    [Fact]
    public void The_host_keeps_its_frequent_statements_prepared_and_names_its_connections()
    {
        var connection = HostConnection("Host=db.internal;Username=billing;Database=billing");

        Assert.Equal(DatabaseSetup.AutoPreparedStatements, connection.MaxAutoPrepare);
        Assert.Equal(2, connection.AutoPrepareMinUsages);
        Assert.Equal("guance-billing", connection.ApplicationName);
        Assert.Equal("db.internal", connection.Host);
    }

    [Theory]
    [InlineData("Host=db.internal;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.internal;MaxAutoPrepare=0", 0)]
    [InlineData("Host=db.internal;max auto prepare=20", 20)]
    public void An_operator_who_sets_prepared_statements_keeps_their_value(string configured, int expected)
    {
        var connection = HostConnection(configured);

        Assert.Equal(expected, connection.MaxAutoPrepare);
    }

    [Fact]
    public void An_operator_who_sets_the_uses_before_preparing_keeps_them()
    {
        var connection = HostConnection("Host=db.internal;Auto Prepare Min Usages=5");

        Assert.Equal(5, connection.AutoPrepareMinUsages);
        Assert.Equal(DatabaseSetup.AutoPreparedStatements, connection.MaxAutoPrepare);
    }

    [Fact]
    public void An_operator_who_names_the_application_keeps_the_name()
    {
        Assert.Equal("billing-eu", HostConnection("Host=db.internal;Application Name=billing-eu").ApplicationName);
    }
}
