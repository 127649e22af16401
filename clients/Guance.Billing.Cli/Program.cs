using Guance.Billing.Cli;

return await GuanceCli.RunAsync(args);
