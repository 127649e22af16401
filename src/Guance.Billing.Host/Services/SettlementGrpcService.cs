using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Jobs;
using Guance.Billing.Pricing;
using Guance.Billing.Settlement;
using Guance.Billing.V1;
using Domain = Guance.Billing.Settlement;

namespace Guance.Billing.Host.Services;

/// <summary>SettlementService: upgrade and binding, settlement methods, prices, day close, bills, arrears, the clock.</summary>
public sealed class SettlementGrpcService(
    UpgradeService upgrades,
    BindingService bindings,
    SettlementMethodService methods,
    BillingOverviewService overviews,
    PriceListManager priceLists,
    DayCloser closer,
    BillQueries bills,
    ArrearsCountdown arrears,
    ClockAdvancer clock) : SettlementService.SettlementServiceBase
{
    public override async Task<UpgradeToCommercialResponse> UpgradeToCommercial(UpgradeToCommercialRequest request, ServerCallContext context)
    {
        var (workspace, settlement) = await upgrades.UpgradeAsync(context.GetCaller(), request.WorkspaceId, request.BindingCode, request.CloudAccountId,
            context.CancellationToken);
        return new UpgradeToCommercialResponse { Workspace = workspace.ToMessage(), Settlement = settlement.ToMessage() };
    }

    public override async Task<ChangeBindingResponse> ChangeBinding(ChangeBindingRequest request, ServerCallContext context)
    {
        var (settlement, previous) = await bindings.ChangeAsync(context.GetCaller(), request.WorkspaceId, request.BindingCode, context.CancellationToken);
        return new ChangeBindingResponse { Settlement = settlement.ToMessage(), PreviousBillingAccountId = previous };
    }

    public override async Task<GetSettlementResponse> GetSettlement(GetSettlementRequest request, ServerCallContext context)
    {
        var settlement = await methods.GetAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return new GetSettlementResponse { Settlement = settlement.ToMessage() };
    }

    public override async Task<ChangeSettlementMethodResponse> ChangeSettlementMethod(ChangeSettlementMethodRequest request, ServerCallContext context)
    {
        var settlement = await methods.ChangeAsync(context.GetCaller(), request.WorkspaceId, (Domain.SettlementMethod)request.Method,
            request.CloudAccountId, context.CancellationToken);
        return new ChangeSettlementMethodResponse { Settlement = settlement.ToMessage() };
    }

    public override async Task<EnableArbitrarySettlementResponse> EnableArbitrarySettlement(EnableArbitrarySettlementRequest request, ServerCallContext context)
    {
        var settlement = await methods.EnableArbitraryAsync(context.GetCaller(), request.WorkspaceId, request.Enabled, context.CancellationToken);
        return new EnableArbitrarySettlementResponse { Settlement = settlement.ToMessage() };
    }

    public override async Task<GetBillingOverviewResponse> GetBillingOverview(GetBillingOverviewRequest request, ServerCallContext context)
    {
        var overview = await overviews.GetAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return new GetBillingOverviewResponse { Overview = overview.ToMessage() };
    }

    public override async Task<ListPriceListsResponse> ListPriceLists(ListPriceListsRequest request, ServerCallContext context)
    {
        var region = request.Region == PriceRegion.Unspecified ? (Workspaces.PriceRegion?)null : (Workspaces.PriceRegion)request.Region;
        var (page, next) = await priceLists.ListAsync(region, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListPriceListsResponse { NextPageToken = next };
        response.PriceLists.Add(page.Select(p => p.ToMessage()));
        return response;
    }

    public override async Task<GetPriceListResponse> GetPriceList(GetPriceListRequest request, ServerCallContext context)
    {
        var day = request.Day.ToDay(out var valid);
        var table = await priceLists.GetAsync(request.PriceListId, request.SiteCode, day, valid, context.CancellationToken);
        return new GetPriceListResponse { PriceList = table.ToMessage() };
    }

    public override async Task<CreatePriceListResponse> CreatePriceList(CreatePriceListRequest request, ServerCallContext context)
    {
        var prices = request.Prices.Select(p => new PriceInput((int)p.Item, p.RetentionDays, p.UnitPrice.ToInput())).ToList();
        var table = await priceLists.CreateAsync(context.GetCaller(), (Workspaces.PriceRegion)request.Region, request.EffectiveDay.ToDay(out _),
            prices, request.BasePriceListId, request.Description, context.CancellationToken);
        return new CreatePriceListResponse { PriceList = table.ToMessage() };
    }

    public override async Task<CloseDayResponse> CloseDay(CloseDayRequest request, ServerCallContext context)
    {
        var close = await closer.CloseAsync(context.GetCaller(), request.SiteCode, request.Day.ToDay(out _), context.CancellationToken);
        return new CloseDayResponse { DayClose = close.ToMessage() };
    }

    public override async Task<ListDailyBillsResponse> ListDailyBills(ListDailyBillsRequest request, ServerCallContext context)
    {
        var (page, next, total) = await bills.ListAsync(context.GetCaller(), request.WorkspaceId, request.BillingAccountId, request.Year, request.Month,
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListDailyBillsResponse { NextPageToken = next, MonthTotal = total.ToMoney() };
        response.DailyBills.Add(page.Select(b => b.ToMessage()));
        return response;
    }

    public override async Task<GetConsumptionSummaryResponse> GetConsumptionSummary(GetConsumptionSummaryRequest request, ServerCallContext context)
    {
        var summary = await bills.SummaryAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return new GetConsumptionSummaryResponse { Summary = summary.ToMessage() };
    }

    public override async Task<ProcessArrearsResponse> ProcessArrears(ProcessArrearsRequest request, ServerCallContext context)
    {
        var run = await arrears.RunAsync(context.GetCaller(), context.CancellationToken);
        return new ProcessArrearsResponse { LockWarnings = run.LockWarnings, Locks = run.Locks };
    }

    public override Task<GetClockResponse> GetClock(GetClockRequest request, ServerCallContext context)
    {
        var state = clock.Get(context.GetCaller());
        return Task.FromResult(new GetClockResponse { Mode = state.Mode.ToMessage(), Now = state.Now.ToTimestamp() });
    }

    public override async Task<AdvanceClockResponse> AdvanceClock(AdvanceClockRequest request, ServerCallContext context)
    {
        var target = request.TargetTime.ToInstantOrNull();
        var advance = await clock.AdvanceAsync(context.GetCaller(), target, request.Duration.ToDurationOrNull(), context.CancellationToken,
            malformedTarget: request.TargetTime is not null && target is null);
        return new AdvanceClockResponse { PreviousTime = advance.Previous.ToTimestamp(), Now = advance.Now.ToTimestamp(), Stops = advance.Stops };
    }
}
