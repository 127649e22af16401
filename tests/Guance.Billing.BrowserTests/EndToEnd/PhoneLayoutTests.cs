using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// The console on a phone's screen (390 by 844): the menu lies over the page, closed until its button opens it,
/// and each row of a list is a card that names every figure, none cut off at the screen's edge; forms and long ids
/// wrap rather than make the page scroll sideways (each field the whole width, each button's label on one line), the
/// top bar keeps to one line, and an amount in a sentence never breaks between its currency and its figure. And one
/// wide table beside the menu at 1,280 px.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class PhoneLayoutTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>
    /// The first row of the list marked data-testid=testId: per cell, the words of its column's header, the label shown
    /// before it (CSS content, quoted), its left and right edges, and for a money cell (an amount alone) its amount and
    /// the number of lines it takes.
    /// </summary>
    private const string FirstRowScript = """
        testId => {
            const list = document.querySelector(`[data-testid=${testId}]`);
            const headers = [...list.querySelectorAll('thead th')].map(th => th.textContent.trim());
            return [...list.querySelector('tbody tr').children].map((td, i) => {
                const text = td.textContent.trim();
                const range = document.createRange();
                range.selectNodeContents(td);
                const box = td.getBoundingClientRect();
                return {
                    header: headers[i] ?? '', label: getComputedStyle(td, '::before').content, left: box.left, right: box.right,
                    amount: /^CNY\s[+-]?[\d,]+\.\d{2}$/.test(text) ? text : null,
                    lines: new Set([...range.getClientRects()].map(r => Math.round(r.top))).size,
                };
            });
        }
        """;

    /// <summary>
    /// The top bar and, in it, the sign-out button marked data-testid=testId and the title (when shown): their boxes
    /// and the number of lines the content of each takes.
    /// </summary>
    private const string TopBarScript = """
        testId => {
            const lines = element => {
                const range = document.createRange();
                range.selectNodeContents(element);
                return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
            };
            const box = element => {
                const r = element.getBoundingClientRect();
                return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, lines: lines(element) };
            };
            const title = document.querySelector('[data-testid=top-bar-title]');
            return {
                bar: box(document.querySelector('.mud-appbar')),
                signOut: box(document.querySelector(`[data-testid=${testId}]`)),
                title: title && title.getClientRects().length > 0 ? box(title) : null,
            };
        }
        """;

    /// <summary>
    /// The fields (text fields, selects) and buttons shown in the form marked data-testid=testId: per control, its name
    /// (label), its left and right edges and the number of lines its text takes (a button's label), with the width of the
    /// form's content box.
    /// </summary>
    private const string FormScript = """
        testId => {
            const form = document.querySelector(`[data-testid=${testId}]`);
            const style = getComputedStyle(form);
            const formWidth = form.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            // The lines of the text alone: a button's icon is taller than its text and starts above it.
            const lines = element => {
                const tops = new Set();
                const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                for (let text = texts.nextNode(); text; text = texts.nextNode()) {
                    const range = document.createRange();
                    range.selectNodeContents(text);
                    [...range.getClientRects()].filter(r => r.width > 0).forEach(r => tops.add(Math.round(r.top)));
                }
                return tops.size;
            };
            return [...form.querySelectorAll('.mud-input-control, .mud-button-root')].filter(e => e.getClientRects().length > 0).map(e => {
                const button = e.classList.contains('mud-button-root');
                const box = e.getBoundingClientRect();
                return {
                    name: (button ? e : e.querySelector('label') ?? e).textContent.trim(), button, left: box.left, right: box.right,
                    lines: button ? lines(e.querySelector('.mud-button-label') ?? e) : 1, formWidth,
                };
            });
        }
        """;

    /// <summary>
    /// Narrows the element marked data-testid=testId a pixel at a time, from its width down to 120 px, so that its sentences
    /// wrap at every place they can; returns how many amounts ("CNY 1,234.00") it holds and each that took two lines, at what width.
    /// </summary>
    private const string AmountsWrappedScript = """
        testId => {
            const box = document.querySelector(`[data-testid=${testId}]`);
            const amounts = [];
            const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let text = texts.nextNode(); text; text = texts.nextNode()) {
                for (const match of text.data.matchAll(/CNY\s[+-]?[\d,]+\.\d{2}/g)) {
                    const range = document.createRange();
                    range.setStart(text, match.index);
                    range.setEnd(text, match.index + match[0].length);
                    amounts.push(range);
                }
            }
            const broken = [];
            for (let width = Math.round(box.getBoundingClientRect().width); width >= 120; width--) {
                box.style.width = `${width}px`;
                for (const amount of amounts) {
                    if (new Set([...amount.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1) {
                        broken.push(`${amount.toString().replace(/\s/, ' ')} at ${width} px`);
                    }
                }
            }
            box.style.width = '';
            return { amounts: amounts.length, broken };
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Control(string Name, bool Button, double Left, double Right, int Lines, double FormWidth);

    private sealed record WrappedAmounts(int Amounts, string[] Broken);

    private sealed record Box(double Left, double Right, double Top, double Bottom, int Lines);

    private sealed record TopBar(Box Bar, Box SignOut, Box? Title);

    private sealed record Cell(string Header, string Label, double Left, double Right, string? Amount, int Lines);

    [Fact]
    public async Task On_a_phone_the_page_has_the_whole_width_and_the_menu_opens_over_it()
    {
        var (email, _) = await console.SignUpAsync("pia");
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_page_has_the_whole_width_and_the_menu_opens_over_it), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);
        var menuLink = tab.Page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Workspaces", Exact = true });

        await Assertions.Expect(tab.ByTestId("sign-out")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(menuLink).Not.ToBeInViewportAsync();
        await tab.ScreenshotAsync("menu-closed");

        await tab.ByTestId("menu-toggle").ClickAsync();
        await Assertions.Expect(menuLink).ToBeInViewportAsync(new() { Ratio = 1 });
        await tab.ScreenshotAsync("menu-open");
        await menuLink.ClickAsync();
        await Assertions.Expect(menuLink).Not.ToBeInViewportAsync();
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_laptop_the_menu_stays_beside_the_page()
    {
        var (email, _) = await console.SignUpAsync("lea");
        await using var tab = await console.OpenAsync(nameof(On_a_laptop_the_menu_stays_beside_the_page));
        await tab.SignInAsync(email, ConsoleHost.Password);

        await Assertions.Expect(tab.Page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Workspaces", Exact = true })).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(tab.ByTestId("user-email")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_each_line_of_a_days_bill_is_a_card_that_names_every_figure()
    {
        var (email, workspaceId, _, _) = await WorkspaceWithAClosedDayAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_phone_each_line_of_a_days_bill_is_a_card_that_names_every_figure), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing/bills");
        await tab.ByTestId("show-bill").ClickAsync();
        await Assertions.Expect(tab.Page.Locator("[data-testid=bill-lines] tbody tr")).ToHaveCountAsync(2);
        await AssertEveryFigureReadableAsync(tab, "items");
        await AssertEveryFigureReadableAsync(tab, "daily-bills");
        await AssertEveryFigureReadableAsync(tab, "bill-lines");
        await tab.ScreenshotAsync("bill-lines", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_income_and_expenditure_and_the_invoiceable_amounts_name_every_figure()
    {
        var host = console.Host;
        var username = $"acme{Guid.NewGuid():N}"[..16];
        var accountId = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        })).BillingAccount.BillingAccountId;
        // A charge of the empty wallet leaves arrears, which the recharge below pays first: a movement of two balances.
        await host.Operator.BillingAccounts.ChargeAsync(new ChargeRequest
        {
            BillingAccountId = accountId, Reference = "phone-charge-" + accountId, Lines = { new ChargeLine { ItemCode = "logs", Amount = MoneyAmounts.FromDecimal(12.34m) } },
        });
        await host.Operator.BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = accountId, Amount = MoneyAmounts.FromDecimal(9_876_543.21m), RequestId = Guid.NewGuid().ToString(),
            PaymentMethod = PaymentMethod.BankTransfer, PaymentReference = "TRANSFER-2",
        });
        // Amounts with every digit group a phone must show whole (the card after the recharge, which would pay the arrears otherwise).
        await host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = accountId, FaceValue = MoneyAmounts.FromDecimal(1_234_500m), ExpireTime = Timestamp.FromDateTimeOffset((await console.NowAsync()).AddYears(1)),
            RequestId = "phone-card-" + accountId, PaymentReference = "transfer-1",
        });
        await using var tab = await console.OpenAsync(nameof(On_a_phone_income_and_expenditure_and_the_invoiceable_amounts_name_every_figure), width: 390, height: 844);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, "billing-center/transactions");

        var recharge = tab.Page.Locator("[data-testid=transactions] tbody tr", new() { HasText = "Recharge" });
        await Assertions.Expect(recharge).ToContainTextAsync("CNY +9,876,530.87");
        await AssertEveryFigureReadableAsync(tab, "transactions");
        // Each balance it changed on a line of its own, not run together.
        var changes = recharge.Locator("[data-testid=change]");
        // Arrears are what is owed: paying them is a change of -12.34.
        await Assertions.Expect(changes).ToHaveTextAsync(["Cash CNY +9,876,530.87", "Arrears CNY -12.34"]);
        Assert.True((await changes.Nth(1).BoundingBoxAsync())!.Y > (await changes.Nth(0).BoundingBoxAsync())!.Y, "the two balance changes share a line");
        // The pages and the two exports: each button whole, within the screen.
        await AssertFormFitsAsync(tab, "pager", fields: false);
        await tab.ScreenshotAsync("income-and-expenditure", fullPage: false);

        await tab.Page.GotoAsync("billing-center/invoices");
        await Assertions.Expect(tab.Page.Locator("[data-testid=invoiceable-sources] [data-testid=remaining]")).ToHaveTextAsync("CNY 1,234,500.00");
        await AssertEveryFigureReadableAsync(tab, "invoiceable-sources");
        await tab.ScreenshotAsync("invoiceable-amounts", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_consumption_details_name_every_figure()
    {
        var (_, workspaceId, username, day) = await WorkspaceWithAClosedDayAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_consumption_details_name_every_figure), width: 390, height: 844);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, $"billing-center/consumption?month={day:yyyy-MM}");

        var row = tab.Page.Locator("[data-testid=daily-bills] tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("Production");
        await Assertions.Expect(row).ToContainTextAsync($"{day:yyyy-MM-dd} (UTC+8)");
        await Assertions.Expect(tab.Page.Locator("[data-testid=daily-bills] [data-testid=secondary-id]").First).ToHaveTextAsync(workspaceId);
        await AssertEveryFigureReadableAsync(tab, "daily-bills");
        await tab.ScreenshotAsync("consumption-details", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    /// <summary>The same page beside the menu on a laptop's screen: a day stays on one line, and the table still fits.</summary>
    [Fact]
    public async Task At_1280_px_the_consumption_details_keep_each_day_on_one_line_and_fit()
    {
        var (_, _, username, day) = await WorkspaceWithAClosedDayAsync();
        await using var tab = await console.OpenAsync(nameof(At_1280_px_the_consumption_details_keep_each_day_on_one_line_and_fit), width: 1280, height: 800);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, $"billing-center/consumption?month={day:yyyy-MM}");

        var cell = tab.Page.Locator("[data-testid=daily-bills] [data-testid=bill-day]").First;
        await Assertions.Expect(cell).ToHaveTextAsync($"{day:yyyy-MM-dd} (UTC+8)");
        var lines = await cell.EvaluateAsync<int>("e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size");
        Assert.Equal(1, lines);
        var table = tab.Page.Locator("[data-testid=daily-bills]");
        var (scroll, client) = (await table.EvaluateAsync<int>("t => t.scrollWidth"), await table.EvaluateAsync<int>("t => t.clientWidth"));
        Assert.True(scroll <= client, $"the daily bills scroll sideways: {scroll} px in {client}");
        await tab.ScreenshotAsync("consumption-details-1280", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_a_workspaces_facts_fit_the_screen_its_id_broken_over_lines()
    {
        var (email, workspaceId) = await WorkspaceOfANewOwnerAsync("phone-home");
        await using var tab = await console.OpenAsync(nameof(On_a_phone_a_workspaces_facts_fit_the_screen_its_id_broken_over_lines), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        await tab.Page.GotoAsync($"workspaces/{workspaceId}");
        await Assertions.Expect(tab.ByTestId("workspace-facts")).ToContainTextAsync(workspaceId);
        await AssertNoSidewaysScrollAsync(tab, "workspace home");
        await AssertFactsFitTheirBoxAsync(tab);
        await tab.ScreenshotAsync("workspace-home", fullPage: false);
        // Whether an id fits 390 px depends on its letters (a random id is a few pixels wider or narrower);
        // on a 320 px phone none does unless it breaks.
        await tab.Page.SetViewportSizeAsync(320, 568);
        await AssertFactsFitTheirBoxAsync(tab);
        await tab.ScreenshotAsync("workspace-home-320", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_alerts_page_fits_the_screen_under_a_top_bar_of_one_line()
    {
        var (email, workspaceId) = await WorkspaceOfANewOwnerAsync("phone-alerts");
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_alerts_page_fits_the_screen_under_a_top_bar_of_one_line), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing/alerts");
        await Assertions.Expect(tab.ByTestId("set-alert")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "alerts");
        await AssertTopBarOnOneLineAsync(tab, "sign-out");
        await tab.ScreenshotAsync("alerts", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_retention_page_fits_the_screen_each_type_a_card_and_its_form_the_whole_width()
    {
        var (email, owner, workspaceId, _) = await CommercialWorkspaceAsync("phone-retention");
        // A change pending for the next day: the longest cell of a card.
        var workspaces = console.Host.Api(owner).Workspaces;
        await workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = workspaceId, DataType = DataType.Metrics, Days = 30 });
        await workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = workspaceId, DataType = DataType.Metrics, Days = 180 });
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_retention_page_fits_the_screen_each_type_a_card_and_its_form_the_whole_width), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing/retention");
        await Assertions.Expect(tab.Page.Locator("[data-testid=retentions] tbody tr").First.Locator("[data-testid=pending]")).ToContainTextAsync("180 days from");
        await AssertEveryFigureReadableAsync(tab, "retentions", amounts: false);
        await AssertFormFitsAsync(tab, "retention-form");
        await tab.ScreenshotAsync("retention", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_tickets_page_fits_the_screen_under_a_top_bar_of_one_line()
    {
        var username = await BillingAccountAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_tickets_page_fits_the_screen_under_a_top_bar_of_one_line), width: 390, height: 844);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, "billing-center/tickets");

        await Assertions.Expect(tab.ByTestId("search-tickets")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "tickets");
        await AssertTopBarOnOneLineAsync(tab, "billing-center-sign-out");
        await tab.ScreenshotAsync("tickets", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_settlement_method_form_fits_the_screen_each_field_the_whole_width()
    {
        var (email, _, workspaceId, _) = await CommercialWorkspaceAsync("phone-method");
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_settlement_method_form_fits_the_screen_each_field_the_whole_width), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        // The Owner's own page, from the console alone (no billing-center session): a cloud method asks for the cloud
        // account's ID in a second field, beside the first on a laptop.
        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing/settlement");
        await tab.ByTestId("method-select").ClickAsync();
        await tab.Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Alibaba Cloud account" }).ClickAsync();
        await Assertions.Expect(tab.Input("cloud-account-id")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "settlement method");
        await AssertFormFitsAsync(tab, "method-form");
        await tab.ScreenshotAsync("settlement-method", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_the_voucher_code_form_fits_the_screen_its_field_the_whole_width()
    {
        var username = await BillingAccountAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_voucher_code_form_fits_the_screen_its_field_the_whole_width), width: 390, height: 844);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, "billing-center/vouchers");

        await tab.Input("activation-code").FillAsync("NO-SUCH-CODE-1");
        await tab.ByTestId("redeem").ClickAsync();
        await Assertions.Expect(tab.Page.Locator(".mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "vouchers");
        await AssertFormFitsAsync(tab, "redeem-form");
        await tab.ScreenshotAsync("voucher-code", fullPage: false);
    }

    [Fact]
    public async Task On_a_phone_a_tickets_reply_and_rating_forms_fit_the_screen()
    {
        var username = await BillingAccountAsync();
        var session = await console.Host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = ConsoleHost.Password });
        var tickets = console.Host.Api(session.Token).Tickets;
        var ticketId = (await tickets.CreateTicketAsync(new CreateTicketRequest
        {
            // Words longer than the screen, as a pasted log line or hash is: they break rather than widen the page.
            BillingAccountId = session.BillingAccount.BillingAccountId, Type = TicketType.BillingQuestion, Title = "Logs_not_counted_" + new string('x', 60),
            Description = "Since 2026-11-01: " + new string('x', 3000), RequestId = "phone-ticket-" + username,
        })).Ticket.TicketId;
        await using var tab = await console.OpenAsync(nameof(On_a_phone_a_tickets_reply_and_rating_forms_fit_the_screen), width: 390, height: 844);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, $"billing-center/tickets/{ticketId}");

        // Waiting for assignment: the reply's three buttons (send, cancel, close).
        await Assertions.Expect(tab.ByTestId("cancel-ticket")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "ticket reply");
        await AssertFormFitsAsync(tab, "reply-form");
        await tab.ByTestId("reply-form").ScrollIntoViewIfNeededAsync();
        await tab.ScreenshotAsync("reply", fullPage: false);

        await tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticketId });
        await tab.Page.ReloadAsync();
        await Assertions.Expect(tab.ByTestId("rating-form")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "ticket rating");
        await AssertFormFitsAsync(tab, "rating-form");
        await tab.ScreenshotAsync("rating", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_360_px_phone_the_mailing_address_form_fits_the_screen()
    {
        var username = await BillingAccountAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_360_px_phone_the_mailing_address_form_fits_the_screen), width: 360, height: 800);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password, "billing-center/invoices");

        await Assertions.Expect(tab.ByTestId("address-form")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab, "invoices");
        await AssertFormFitsAsync(tab, "address-form");
        await tab.ByTestId("address-form").ScrollIntoViewIfNeededAsync();
        await tab.ScreenshotAsync("mailing-address", fullPage: false);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_phone_an_amount_in_a_sentence_never_breaks_between_its_currency_and_its_figure()
    {
        var (email, workspaceId, _, _) = await WorkspaceWithAClosedDayAsync();
        await using var tab = await console.OpenAsync(nameof(On_a_phone_an_amount_in_a_sentence_never_breaks_between_its_currency_and_its_figure), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);

        // The day's bill: its total in its title, then "Paid by vouchers CNY ..., prepaid cards CNY ..., cash CNY ...; arrears CNY ...".
        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing/bills");
        await tab.ByTestId("show-bill").ClickAsync();
        await Assertions.Expect(tab.ByTestId("bill")).ToContainTextAsync("arrears CNY");
        var wrapped = JsonSerializer.Deserialize<WrappedAmounts>(await tab.Page.EvaluateAsync<string>($"testId => JSON.stringify(({AmountsWrappedScript})(testId))", "bill"), Json)!;
        Assert.True(wrapped.Amounts >= 5, $"the bill holds {wrapped.Amounts} amounts");
        Assert.True(wrapped.Broken.Length == 0, "amounts broken over two lines: " + string.Join("; ", wrapped.Broken.Take(10)));
        Assert.Empty(tab.Errors);
    }

    /// <summary>
    /// Within the form (or row of buttons, <paramref name="fields"/> false) marked data-testid=testId, as in a row of fields
    /// on a phone (console.css, fields-row): each field takes the form's whole width, and each button lies within the screen,
    /// its label on one line.
    /// </summary>
    private static async Task AssertFormFitsAsync(ConsolePage tab, string testId, bool fields = true)
    {
        var page = tab.Page;
        var width = await page.EvaluateAsync<int>("() => window.innerWidth");
        var controls = JsonSerializer.Deserialize<Control[]>(await page.EvaluateAsync<string>($"testId => JSON.stringify(({FormScript})(testId))", testId), Json)!;
        Assert.Equal(fields, controls.Any(c => !c.Button));
        Assert.Contains(controls, c => c.Button);
        foreach (var control in controls)
        {
            Assert.True(control.Left >= 0 && control.Right <= width, $"{testId}: \"{control.Name}\" lies at {control.Left}..{control.Right}, the screen is {width} px wide");
            Assert.True(control.Button || control.Right - control.Left >= control.FormWidth - 1,
                $"{testId}: the field \"{control.Name}\" is {control.Right - control.Left} px wide, the form {control.FormWidth} px");
            Assert.True(control.Lines == 1, $"{testId}: the button \"{control.Name}\" takes {control.Lines} lines");
        }
    }

    /// <summary>A new billing account; returns its user name.</summary>
    private async Task<string> BillingAccountAsync()
    {
        var username = $"acme{Guid.NewGuid():N}"[..16];
        await console.Host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        return username;
    }

    /// <summary>
    /// A commercial workspace of a new Owner on cn1 (where it may settle through Alibaba Cloud), bound to a new billing account;
    /// returns the Owner's e-mail and token, the workspace and the account's user name.
    /// </summary>
    private async Task<(string Email, string Owner, string WorkspaceId, string Username)> CommercialWorkspaceAsync(string name)
    {
        var host = console.Host;
        var (email, owner) = await console.SignUpAsync(name);
        var workspaceId = (await host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var username = await BillingAccountAsync();
        var session = await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = ConsoleHost.Password });
        var code = (await host.Api(session.Token).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = session.BillingAccount.BillingAccountId })).BindingCode;
        await host.Api(owner).Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspaceId, BindingCode = code });
        return (email, owner, workspaceId, username);
    }

    /// <summary>A table wider than its box scrolls sideways inside it, not the page: the workspace's facts must fit their box.</summary>
    private static async Task AssertFactsFitTheirBoxAsync(ConsolePage tab)
    {
        var rights = await tab.Page.EvaluateAsync<double[]>("""
            () => {
                const facts = document.querySelector('[data-testid=workspace-facts]');
                return [facts.querySelector('table').getBoundingClientRect().right, facts.getBoundingClientRect().right];
            }
            """);
        Assert.True(rights[0] <= rights[1], $"the workspace's facts end at {rights[0]}, their box at {rights[1]}");
    }

    private static async Task AssertNoSidewaysScrollAsync(ConsolePage tab, string what)
    {
        var page = tab.Page;
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"the page scrolls sideways ({what}): {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide");
    }

    /// <summary>
    /// The top bar is one bar high, and within it the sign-out button (an icon on a phone) and the title, if shown, each
    /// take one line and lie within the screen, the title left of the button.
    /// </summary>
    private static async Task AssertTopBarOnOneLineAsync(ConsolePage tab, string signOutTestId)
    {
        var page = tab.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("() => window.innerWidth");
        var bar = JsonSerializer.Deserialize<TopBar>(await page.EvaluateAsync<string>($"testId => JSON.stringify(({TopBarScript})(testId))", signOutTestId), Json)!;
        Assert.True(bar.Bar.Bottom - bar.Bar.Top <= 64, $"the top bar is {bar.Bar.Bottom - bar.Bar.Top} px high");
        Assert.True(bar.SignOut.Lines == 1 && bar.SignOut.Left >= 0 && bar.SignOut.Right <= width && bar.SignOut.Top >= bar.Bar.Top && bar.SignOut.Bottom <= bar.Bar.Bottom,
            $"the sign-out button takes {bar.SignOut.Lines} lines at {bar.SignOut.Left}..{bar.SignOut.Right} x {bar.SignOut.Top}..{bar.SignOut.Bottom}, in a bar {width} px wide and {bar.Bar.Bottom - bar.Bar.Top} px high");
        if (bar.Title is { } title)
        {
            Assert.True(title.Lines == 1 && title.Left >= 0 && title.Right <= bar.SignOut.Left,
                $"the title takes {title.Lines} lines at {title.Left}..{title.Right}, the sign-out button begins at {bar.SignOut.Left}");
        }
    }

    /// <summary>
    /// The page does not scroll sideways; each cell of the list's first row is named by its column's header and lies
    /// within the screen's width, each money cell's amount on one line (a list of money has one at least, unless
    /// <paramref name="amounts"/> is false); its last cell scrolls into view.
    /// </summary>
    private static async Task AssertEveryFigureReadableAsync(ConsolePage tab, string testId, bool amounts = true)
    {
        var page = tab.Page;
        await AssertNoSidewaysScrollAsync(tab, testId);
        var width = await page.EvaluateAsync<int>("() => window.innerWidth");
        var cells = JsonSerializer.Deserialize<Cell[]>(await page.EvaluateAsync<string>($"testId => JSON.stringify(({FirstRowScript})(testId))", testId), Json)!;
        Assert.NotEmpty(cells);
        Assert.True(!amounts || cells.Any(c => c.Amount is not null), $"{testId}: no amount in its first row");
        foreach (var cell in cells)
        {
            if (cell.Header.Length > 0)
            {
                Assert.Equal($"\"{cell.Header}\"", cell.Label);
            }
            Assert.True(cell.Left >= 0 && cell.Right <= width, $"{testId}: the cell of \"{cell.Header}\" lies at {cell.Left}..{cell.Right}, the screen is {width} px wide");
            Assert.True(cell.Amount is null || cell.Lines == 1, $"{testId}: {cell.Amount} (\"{cell.Header}\") wraps over {cell.Lines} lines");
        }
        var last = page.Locator($"[data-testid={testId}] tbody tr").First.Locator("td").Last;
        await last.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(last).ToBeInViewportAsync();
    }

    /// <summary>An experience workspace of a new Owner on cn1; returns the Owner's e-mail and the workspace.</summary>
    private async Task<(string Email, string WorkspaceId)> WorkspaceOfANewOwnerAsync(string name)
    {
        var (email, owner) = await console.SignUpAsync(name);
        var workspaceId = (await console.Host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        return (email, workspaceId);
    }

    /// <summary>
    /// A commercial workspace of a new Owner on cn1 whose day closed with time series and logs billed; returns the Owner's
    /// e-mail, the workspace, the paying billing account's username and the day.
    /// </summary>
    private async Task<(string Email, string WorkspaceId, string Username, DateOnly Day)> WorkspaceWithAClosedDayAsync()
    {
        var host = console.Host;
        var (email, owner, workspaceId, username) = await CommercialWorkspaceAsync("phone-owner");
        var collector = (await host.Api(owner).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "hosts" })).Token;

        var used = (await console.NowAsync()).AddMinutes(5);
        await console.AdvanceToAsync(used);
        var report = new ReportUsageRequest { CollectorId = "phone-e2e", Sequence = 1 };
        report.Records.Add(new UsageRecord { Item = BillingItem.TimeSeries, Quantity = 60_000_000, ObservedAt = Timestamp.FromDateTimeOffset(used) });
        report.Records.Add(new UsageRecord { Item = BillingItem.Logs, Quantity = 5_000_000, ObservedAt = Timestamp.FromDateTimeOffset(used) });
        await host.Api(collector).Usage.ReportUsageAsync(report);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(used, Shanghai).DateTime);
        var nextMidnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        await console.AdvanceToAsync(nextMidnight.AddHours(2));
        await host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = new BillingDay { Year = day.Year, Month = day.Month, Day = day.Day } });
        return (email, workspaceId, username, day);
    }
}
