using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Workspaces;

/// <summary>A workspace with the caller's role and its retention in force.</summary>
public sealed record WorkspaceDetails(Workspace Workspace, WorkspaceRole? CallerRole, IReadOnlyList<RetentionView> Retentions);

/// <summary>Creating, reading, renaming, handing over and dissolving workspaces.</summary>
public sealed class WorkspaceManager(BillingDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    private const string WorkspaceList = "workspaces";

    public async Task<WorkspaceDetails> CreateAsync(Caller caller, string name, string siteCode, ActivationChannel channel, string? description, CancellationToken cancellationToken)
    {
        var userId = caller.RequireUser();
        var validator = ValidateNew(new RequestValidator(), name, "name", siteCode)
            .Defined(channel, "activation_channel")
            .Text(description, "description", 512, required: false);
        if (siteCode is not null && Sites.TryGet(siteCode, out var site) && Enum.IsDefined(channel))
        {
            // A marketplace activates workspaces only on the sites its cloud operates (docs/domain.md §2).
            validator.Check(ActivationChannels.Fits(channel, site), "activation_channel",
                $"must be ACTIVATION_CHANNEL_OFFICIAL_WEBSITE or, on site {site.Code}, {ActivationChannels.ContractName(ActivationChannels.MarketplaceOf(site))}: a marketplace activates workspaces only on the sites its cloud operates");
        }
        validator.ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var workspace = AddNew(userId, name, siteCode!, channel, description, now);
        var retention = RetentionPolicy.Defaults(workspace.Id, Plan.Experience, now, byUserId: null);
        db.RetentionChanges.AddRange(retention);
        await db.SaveChangesAsync(cancellationToken);
        return new WorkspaceDetails(workspace, WorkspaceRole.Owner, RetentionView.Of(retention, now));
    }

    /// <summary>The rules of a new workspace's name (under <paramref name="nameField"/>) and site.</summary>
    public static RequestValidator ValidateNew(RequestValidator validator, string? name, string nameField, string? siteCode) =>
        validator
            .Text(name?.Trim(), nameField, 64)
            .Check(siteCode is not null && Sites.TryGet(siteCode, out _), "site_code", "must be the code of a site from ListSites");

    /// <summary>
    /// Adds a validated new experience workspace owned by <paramref name="ownerUserId"/> to the unit of work,
    /// without its retention (the caller adds the defaults of the plan it starts on) and without saving.
    /// </summary>
    public Workspace AddNew(string ownerUserId, string name, string siteCode, ActivationChannel channel, string? description, DateTimeOffset now)
    {
        var workspace = new Workspace
        {
            Id = Ids.New("ws", clock),
            Name = name.Trim(),
            Description = description?.Trim() ?? "",
            SiteCode = siteCode,
            ActivationChannel = channel,
            Plan = Plan.Experience,
            State = WorkspaceState.Active,
            OwnerUserId = ownerUserId,
            CreatedAt = now,
        };
        db.Workspaces.Add(workspace);
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = ownerUserId, Role = WorkspaceRole.Owner, JoinedAt = now });
        return workspace;
    }

    public async Task<WorkspaceDetails> GetAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.View, cancellationToken);
        return await DetailsAsync(grant, cancellationToken);
    }

    public async Task<(IReadOnlyList<WorkspaceDetails> Workspaces, string NextPageToken)> ListAsync(Caller caller, int pageSize, string? pageToken, bool showDissolved, CancellationToken cancellationToken)
    {
        var userId = caller.RequireUserOrOperator();
        var list = $"{WorkspaceList}:{userId}{(showDissolved ? "+dissolved" : "")}";
        new RequestValidator().Page(pageSize, pageToken, list, out var pageRequest).ThrowIfInvalid();

        var query = from w in db.Workspaces.AsNoTracking()
                    join m in db.WorkspaceMembers.AsNoTracking().Where(m => m.UserId == userId) on w.Id equals m.WorkspaceId into membership
                    from m in membership.DefaultIfEmpty()
                    where userId == null || m != null
                    select new { Workspace = w, Role = m == null ? (WorkspaceRole?)null : m.Role };
        if (!showDissolved)
        {
            query = query.Where(x => x.Workspace.State == WorkspaceState.Active);
        }
        var (page, next) = await pageRequest.FetchAsync(query, x => x.Workspace.Id, cancellationToken, oldestFirst: true);

        var ids = page.Select(x => x.Workspace.Id).ToList();
        var history = await db.RetentionChanges.AsNoTracking().Where(c => ids.Contains(c.WorkspaceId)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var byWorkspace = history.ToLookup(c => c.WorkspaceId);
        return (page.Select(x => new WorkspaceDetails(x.Workspace, x.Role, RetentionView.Of(byWorkspace[x.Workspace.Id], now))).ToList(), next);
    }

    public async Task<WorkspaceDetails> UpdateAsync(Caller caller, string workspaceId, string? name, string? description, IReadOnlyCollection<string> updateMask, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(updateMask.Count > 0, "update_mask", "must name at least one field: name, description");
        if (validator.Size(updateMask.Count, "update_mask", RequestValidator.MaxUpdateMaskPaths))
        {
            foreach (var path in updateMask)
            {
                validator.Check(path is "name" or "description", "update_mask", $"'{Errors.Echo(path)}' cannot be updated; updatable fields are name and description");
            }
        }
        if (updateMask.Contains("name"))
        {
            validator.Text(name?.Trim(), "workspace.name", 64);
        }
        if (updateMask.Contains("description"))
        {
            validator.Text(description, "workspace.description", 512, required: false);
        }
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.UpdateSettings, cancellationToken, validator, tracked: true);
        var workspace = grant.Workspace;
        EnsureActive(workspace);

        if (updateMask.Contains("name"))
        {
            workspace.Name = name!.Trim();
        }
        if (updateMask.Contains("description"))
        {
            workspace.Description = description?.Trim() ?? "";
        }
        workspace.Version++;
        await SaveAsync(cancellationToken);
        return await DetailsAsync(grant, cancellationToken);
    }

    public async Task<WorkspaceDetails> DissolveAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.Dissolve, cancellationToken, tracked: true);
        var workspace = grant.Workspace;
        EnsureActive(workspace);
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        workspace.State = WorkspaceState.Dissolved;
        workspace.DissolvedAt = now;
        workspace.Version++;
        await SaveAsync(cancellationToken);
        // Its collectors stop at their next batch.
        await db.AccessTokens
            .Where(t => t.SubjectId == workspaceId && t.Kind == TokenKind.Collector && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await DetailsAsync(grant, cancellationToken);
    }

    public async Task<WorkspaceDetails> TransferOwnershipAsync(Caller caller, string workspaceId, string newOwnerUserId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(newOwnerUserId, "new_owner_user_id", "usr");
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.TransferOwnership, cancellationToken, validator, tracked: true);
        var workspace = grant.Workspace;
        EnsureActive(workspace);
        if (newOwnerUserId == workspace.OwnerUserId)
        {
            throw Errors.Precondition(ErrorReasons.AlreadyOwner, $"users/{newOwnerUserId}", "This member already owns the workspace.");
        }
        var members = await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && (m.UserId == newOwnerUserId || m.UserId == workspace.OwnerUserId))
            .ToListAsync(cancellationToken);
        var newOwner = members.FirstOrDefault(m => m.UserId == newOwnerUserId) ?? throw Errors.NotFound(ResourceTypes.Member, newOwnerUserId);
        var oldOwner = members.First(m => m.UserId == workspace.OwnerUserId);

        // Demote first: the database allows one Owner per workspace at every moment.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        oldOwner.Role = WorkspaceRole.Administrator;
        workspace.Version++;
        await SaveAsync(cancellationToken);
        newOwner.Role = WorkspaceRole.Owner;
        workspace.OwnerUserId = newOwnerUserId;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await DetailsAsync(grant with { Role = caller.IsOperator ? null : WorkspaceRole.Administrator }, cancellationToken);
    }

    public static void EnsureActive(Workspace workspace)
    {
        if (workspace.State == WorkspaceState.Dissolved)
        {
            throw Errors.Precondition(ErrorReasons.WorkspaceDissolved, $"workspaces/{workspace.Id}", "The workspace has been dissolved.");
        }
    }

    private async Task<WorkspaceDetails> DetailsAsync(WorkspaceGrant grant, CancellationToken cancellationToken)
    {
        var history = await db.RetentionChanges.AsNoTracking().Where(c => c.WorkspaceId == grant.Workspace.Id).ToListAsync(cancellationToken);
        return new WorkspaceDetails(grant.Workspace, grant.Role, RetentionView.Of(history, clock.GetUtcNow()));
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The workspace changed while this request ran; read it again and retry.");
        }
    }
}
