using System.CommandLine;
using FieldMask = Google.Protobuf.WellKnownTypes.FieldMask;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Invoices;

/// <summary>invoices info / invoices address: add, list, update, remove.</summary>
public static class InvoiceProfileCommands
{
    public static Command Info()
    {
        var command = new Command("info", "Invoice information (type and, for VAT special, bank and registration data; the title is the certified enterprise)");
        command.Subcommands.Add(InfoAdd());
        command.Subcommands.Add(InfoList());
        command.Subcommands.Add(InfoUpdate());
        command.Subcommands.Add(Remove("Remove invoice information", "invoice-info-id", "ii_...",
            (context, id, ct) => context.BillingClient.Invoices.DeleteInvoiceInfoAsync(new DeleteInvoiceInfoRequest { InvoiceInfoId = id }, cancellationToken: ct).ResponseAsync));
        return command;
    }

    public static Command Address()
    {
        var command = new Command("address", "Mailing addresses of paper invoices");
        command.Subcommands.Add(AddressAdd());
        command.Subcommands.Add(AddressList());
        command.Subcommands.Add(AddressUpdate());
        command.Subcommands.Add(Remove("Remove a mailing address", "mailing-address-id", "ma_...",
            (context, id, ct) => context.BillingClient.Invoices.DeleteMailingAddressAsync(new DeleteMailingAddressRequest { MailingAddressId = id }, cancellationToken: ct).ResponseAsync));
        return command;
    }

    private sealed record InfoOptions(Option<string?> Type, Option<string?> BankName, Option<string?> BankAccount, Option<string?> RegisteredAddress, Option<string?> RegisteredPhone)
    {
        public static InfoOptions Create(bool typeRequired)
        {
            var type = new Option<string?>("--type") { Description = "The kind: " + string.Join(", ", CliEnum.Names<InvoiceType>()), Required = typeRequired };
            CliEnum.AcceptOnly(type, CliEnum.Names<InvoiceType>());
            return new(type,
                new Option<string?>("--bank-name") { Description = "The bank's name (VAT special)" },
                new Option<string?>("--bank-account") { Description = "The bank account number (VAT special)" },
                new Option<string?>("--registered-address") { Description = "The registered address (VAT special)" },
                new Option<string?>("--registered-phone") { Description = "The registered phone (VAT special)" });
        }

        public Option[] All => [Type, BankName, BankAccount, RegisteredAddress, RegisteredPhone];

        /// <summary>The message and the fields the command line gave (the update mask).</summary>
        public (InvoiceInfo Info, List<string> Given) Read(CliContext context)
        {
            var info = new InvoiceInfo();
            var given = new List<string>();
            if (context.Get(Type) is { } type)
            {
                info.Type = CliEnum.Parse<InvoiceType>(type);
                given.Add("type");
            }
            void Text(Option<string?> option, string field, Action<string> set)
            {
                if (context.Get(option) is { } value)
                {
                    set(value);
                    given.Add(field);
                }
            }
            Text(BankName, "bank_name", v => info.BankName = v);
            Text(BankAccount, "bank_account_number", v => info.BankAccountNumber = v);
            Text(RegisteredAddress, "registered_address", v => info.RegisteredAddress = v);
            Text(RegisteredPhone, "registered_phone", v => info.RegisteredPhone = v);
            return (info, given);
        }
    }

    private static Command InfoAdd()
    {
        var account = BillingAccountCommands.Account();
        var options = InfoOptions.Create(typeRequired: true);
        var command = new Command("add", "Add invoice information (needs the approved enterprise certification)") { account };
        options.All.ToList().ForEach(command.Options.Add);
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
            {
                BillingAccountId = context.BillingAccountId(account), InvoiceInfo = options.Read(context).Info,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InfoTable(context, [response.InvoiceInfo]));
            return ExitCodes.Ok;
        });
    }

    private static Command InfoList()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("list", "List the account's invoice information") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.ListInvoiceInfosAsync(new ListInvoiceInfosRequest { BillingAccountId = context.BillingAccountId(account) },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () => InfoTable(context, response.InvoiceInfos));
            return ExitCodes.Ok;
        });
    }

    private static Command InfoUpdate()
    {
        var id = new Argument<string>("invoice-info-id") { Description = "The invoice information, ii_..." };
        var options = InfoOptions.Create(typeRequired: false);
        var command = new Command("update", "Change the fields given") { id };
        options.All.ToList().ForEach(command.Options.Add);
        return command.Handle(async (context, cancellationToken) =>
        {
            var (info, given) = options.Read(context);
            info.InvoiceInfoId = context.Get(id)!;
            var request = new UpdateInvoiceInfoRequest { InvoiceInfo = info, UpdateMask = new FieldMask() };
            request.UpdateMask.Paths.Add(given);
            var response = await context.BillingClient.Invoices.UpdateInvoiceInfoAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InfoTable(context, [response.InvoiceInfo]));
            return ExitCodes.Ok;
        });
    }

    private sealed record AddressOptions(Option<string?> Recipient, Option<string?> Phone, Option<string?> Email, Option<string?> Address)
    {
        public static AddressOptions Create(bool required) => new(
            new Option<string?>("--recipient") { Description = "Who receives the mail", Required = required },
            new Option<string?>("--phone") { Description = "The recipient's phone", Required = required },
            new Option<string?>("--email") { Description = "The recipient's e-mail address", Required = required },
            new Option<string?>("--address") { Description = "The full postal address", Required = required });

        public Option[] All => [Recipient, Phone, Email, Address];

        public (MailingAddress Address, List<string> Given) Read(CliContext context)
        {
            var address = new MailingAddress();
            var given = new List<string>();
            void Text(Option<string?> option, string field, Action<string> set)
            {
                if (context.Get(option) is { } value)
                {
                    set(value);
                    given.Add(field);
                }
            }
            Text(Recipient, "recipient", v => address.Recipient = v);
            Text(Phone, "phone", v => address.Phone = v);
            Text(Email, "email", v => address.Email = v);
            Text(Address, "address", v => address.Address = v);
            return (address, given);
        }
    }

    private static Command AddressAdd()
    {
        var account = BillingAccountCommands.Account();
        var options = AddressOptions.Create(required: true);
        var command = new Command("add", "Add a mailing address") { account };
        options.All.ToList().ForEach(command.Options.Add);
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest
            {
                BillingAccountId = context.BillingAccountId(account), MailingAddress = options.Read(context).Address,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => AddressTable(context, [response.MailingAddress]));
            return ExitCodes.Ok;
        });
    }

    private static Command AddressList()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("list", "List the account's mailing addresses") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.ListMailingAddressesAsync(new ListMailingAddressesRequest { BillingAccountId = context.BillingAccountId(account) },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () => AddressTable(context, response.MailingAddresses));
            return ExitCodes.Ok;
        });
    }

    private static Command AddressUpdate()
    {
        var id = new Argument<string>("mailing-address-id") { Description = "The mailing address, ma_..." };
        var options = AddressOptions.Create(required: false);
        var command = new Command("update", "Change the fields given") { id };
        options.All.ToList().ForEach(command.Options.Add);
        return command.Handle(async (context, cancellationToken) =>
        {
            var (address, given) = options.Read(context);
            address.MailingAddressId = context.Get(id)!;
            var request = new UpdateMailingAddressRequest { MailingAddress = address, UpdateMask = new FieldMask() };
            request.UpdateMask.Paths.Add(given);
            var response = await context.BillingClient.Invoices.UpdateMailingAddressAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => AddressTable(context, [response.MailingAddress]));
            return ExitCodes.Ok;
        });
    }

    private static Command Remove<T>(string description, string argument, string example, Func<CliContext, string, CancellationToken, Task<T>> call)
        where T : Google.Protobuf.IMessage
    {
        var id = new Argument<string>(argument) { Description = "The one to remove, " + example };
        var command = new Command("remove", description) { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await call(context, context.Get(id)!, cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Removed {context.Get(id)}."));
            return ExitCodes.Ok;
        });
    }

    private static void InfoTable(CliContext context, IEnumerable<InvoiceInfo> infos) =>
        context.Output.Table(
            ["INVOICE INFO ID", "TYPE", "BANK", "BANK ACCOUNT", "REGISTERED ADDRESS", "REGISTERED PHONE"],
            infos.Select(i => new[] { i.InvoiceInfoId, Display.Enum(i.Type), i.BankName, i.BankAccountNumber, i.RegisteredAddress, i.RegisteredPhone }),
            "No invoice information.");

    private static void AddressTable(CliContext context, IEnumerable<MailingAddress> addresses) =>
        context.Output.Table(
            ["MAILING ADDRESS ID", "RECIPIENT", "PHONE", "E-MAIL", "ADDRESS"],
            addresses.Select(a => new[] { a.MailingAddressId, a.Recipient, a.Phone, a.Email, a.Address }),
            "No mailing addresses.");
}
