using Bunit;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// The rule of a list on a phone (console.css, cards-on-phone): below 600 px each row of the table is a card,
/// so every cell must carry the words of its column's header as its data-label (the card's name for the figure).
/// </summary>
internal static class PhoneCards
{
    public static void AssertEveryCellNamed<T>(IRenderedComponent<T> page, string testId) where T : IComponent
    {
        var table = page.Find($"[data-testid={testId}]");
        Assert.Contains("cards-on-phone", table.ClassList);
        var headers = table.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        var rows = table.QuerySelectorAll("tbody tr").Where(row => row.QuerySelector("td[colspan]") is null).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var cells = row.QuerySelectorAll("td");
            Assert.Equal(headers.Count, cells.Length);
            for (var i = 0; i < cells.Length; i++)
            {
                if (headers[i].Length > 0)
                {
                    Assert.Equal(headers[i], cells[i].GetAttribute("data-label"));
                }
            }
        }
    }
}
