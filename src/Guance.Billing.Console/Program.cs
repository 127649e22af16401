using Guance.Billing.Console;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Session;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
builder.Services.AddConsole(new Uri(builder.HostEnvironment.BaseAddress));
await builder.Build().RunAsync();
