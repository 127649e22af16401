using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasKey(u => u.Id);
        user.HasIndex(u => u.Email).IsUnique();
    }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.ToTable("access_tokens");
        token.HasKey(t => t.Id);
        token.HasIndex(t => new { t.SubjectId, t.Kind });
    }
}

internal sealed class GuessThrottleConfiguration : IEntityTypeConfiguration<GuessThrottle>
{
    public void Configure(EntityTypeBuilder<GuessThrottle> throttle)
    {
        throttle.ToTable("sign_in_throttles");
        throttle.HasKey(t => t.Key);
    }
}
