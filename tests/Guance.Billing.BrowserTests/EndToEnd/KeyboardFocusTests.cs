using System.Text.Json;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>A person who moves through the console with the keyboard always sees where they are.</summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class KeyboardFocusTests(ConsoleHost console)
{
    /// <summary>The focused element's tag, text and outline as the browser draws it.</summary>
    private const string FocusedScript = """
        () => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return { tag: element.tagName, text: element.textContent.trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
        }
        """;

    [Fact]
    public async Task Every_button_and_link_reached_by_tab_shows_a_focus_ring()
    {
        var (email, _) = await console.SignUpAsync("kim");
        await using var tab = await console.OpenAsync(nameof(Every_button_and_link_reached_by_tab_shows_a_focus_ring));
        await tab.SignInAsync(email, ConsoleHost.Password);
        await tab.ByTestId("sign-out").WaitForAsync();

        var seen = new List<string>();
        for (var press = 0; press < 12; press++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
            var json = await tab.Page.EvaluateAsync<JsonElement>(FocusedScript);
            var focused = new Focused(json.GetProperty("tag").GetString()!, json.GetProperty("text").GetString()!,
                json.GetProperty("outline").GetString()!, json.GetProperty("width").GetDouble());
            if (focused.Tag is "INPUT" or "TEXTAREA" or "BODY")
            {
                continue;
            }
            seen.Add($"{focused.Tag} '{focused.Text}'");
            Assert.True(focused.Outline != "none" && focused.Width >= 2, $"{focused.Tag} '{focused.Text}' has focus but outline {focused.Outline} {focused.Width}px");
        }
        Assert.True(seen.Count >= 3, "tab reached: " + string.Join(", ", seen));
        Assert.Empty(tab.Errors);
    }

    private sealed record Focused(string Tag, string Text, string Outline, double Width);
}
