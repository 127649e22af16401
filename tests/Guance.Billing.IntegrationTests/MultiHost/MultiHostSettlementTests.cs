namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// Daily settlement with two host processes on one PostgreSQL database: the place for the issue-8
/// proofs that need settlement (issue 5), written when CloseDay, the jobs and the simulated clock land.
/// No test here yet, on purpose: a test that cannot fail would prove nothing. Tests that need a fresh
/// database or their own settings start their own <see cref="Infrastructure.HostCluster"/>; others can
/// share the pair of the <see cref="TwoHosts"/> collection. Mark them <c>[PostgresFact]</c>.
/// <list type="number">
/// <item><b>CloseDay on both hosts at once</b>: workspaces with usage on a closed site-day, then
/// <c>cluster.OnEveryHostAtOnceAsync(host => host.Api(cluster.OperatorToken).Settlement.CloseDayAsync(...))</c>
/// (see <see cref="Infrastructure.HostCluster"/>): exactly one daily bill per workspace, one charge per
/// bill in the ledger (VerifyLedger clean, balances exact), one high-consumption alert per item and day.</item>
/// <item><b>The scheduler running on both hosts</b>: <c>HostCluster.StartAsync(2, settings)</c> with
/// the jobs' interval short (and on a simulated clock, the same <c>Guance:Clock:Start</c> on both, each
/// host advanced in turn): every workspace billed once, whichever host's pass got there first.</item>
/// <item><b>A late batch racing the day close</b>: a batch the usage writer admitted before CloseDay
/// but commits after it must not add to the closed day. Admission checks the day when the batch
/// arrives; the commit comes later and may run on another host than the close. The close and the
/// writer must meet in the database, for example CloseDay taking the workspace's advisory lock
/// (<c>UsageDatabase.LockKey</c>, which the writer's quota check takes) and the writer checking the
/// day's close inside its transaction.</item>
/// </list>
/// </summary>
public sealed class MultiHostSettlementTests
{
}
