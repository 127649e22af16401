using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class WalletConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> wallet)
    {
        wallet.ToTable("wallets");
        wallet.HasKey(w => w.BillingAccountId);
    }
}

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> account)
    {
        account.ToTable("ledger_accounts", t => t.HasCheckConstraint("ck_ledger_accounts_sign", LedgerAccountKinds.SignCheckSql));
        account.HasKey(a => a.Id);
        account.HasIndex(a => a.BillingAccountId);
        account.Property(a => a.Balance).IsConcurrencyToken();
        // The count numbers the account's entries: two writers that saw the same count would number two entries alike.
        account.Property(a => a.EntryCount).IsConcurrencyToken();
    }
}

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> transaction)
    {
        transaction.ToTable("ledger_transactions");
        transaction.HasKey(t => t.Id);
        transaction.HasIndex(t => t.IdempotencyKey).IsUnique();
        transaction.HasIndex(t => new { t.BillingAccountId, t.Id });
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.ToTable("ledger_entries");
        // Keyed by its transaction, so that a commit's entries land together at the key's end: keyed by its ledger
        // account, each entry of a charge went to a page of its own (docs/performance.md).
        entry.HasKey(e => new { e.TransactionId, e.Position });
        entry.Property(e => e.Position).ValueGeneratedNever();
    }
}

internal sealed class VoucherConfiguration : IEntityTypeConfiguration<Voucher>
{
    public void Configure(EntityTypeBuilder<Voucher> voucher)
    {
        voucher.ToTable("vouchers");
        voucher.HasKey(v => v.Id);
        voucher.Ignore(v => v.LedgerKind);
        voucher.HasIndex(v => v.BillingAccountId);
        voucher.HasIndex(v => v.IssueRequestId).IsUnique();
        voucher.HasIndex(v => v.ActivationCodeHash).IsUnique();
        voucher.HasIndex(v => v.ExpiresAt, "ix_vouchers_due").HasFilter("expired_at IS NULL");
    }
}

internal sealed class PrepaidCardConfiguration : IEntityTypeConfiguration<PrepaidCard>
{
    public void Configure(EntityTypeBuilder<PrepaidCard> card)
    {
        card.ToTable("prepaid_cards");
        card.HasKey(c => c.Id);
        card.HasIndex(c => c.BillingAccountId);
        card.HasIndex(c => c.IssueRequestId).IsUnique();
        card.HasIndex(c => c.ExpiresAt, "ix_prepaid_cards_due").HasFilter("expired_at IS NULL");
        // Cards issued before origins were recorded were all bought in the billing center. The sentinel
        // is that default too: EF leaves the column to the database only for a card of that origin, and
        // no longer warns at every start that the CLR default (0, no origin) would take the database's.
        card.Property(c => c.Origin).HasDefaultValue(PrepaidCardOrigin.BillingCenter).HasSentinel(PrepaidCardOrigin.BillingCenter);
    }
}

internal sealed class HuaweiCardOrderConfiguration : IEntityTypeConfiguration<HuaweiCardOrder>
{
    public void Configure(EntityTypeBuilder<HuaweiCardOrder> order)
    {
        order.ToTable("huawei_card_orders");
        order.HasKey(o => o.Id);
        // An order is redeemed once, whoever submits it (docs/domain.md §8).
        order.HasIndex(o => o.OrderNumber).IsUnique();
        order.HasIndex(o => o.BillingAccountId);
        order.Property(o => o.Version).IsConcurrencyToken();
    }
}
