namespace Guance.Billing.Common;

/// <summary>
/// Every reason the host answers in <c>google.rpc.ErrorInfo.reason</c>, in one place, so that clients
/// can rely on them: docs/errors.md lists each with its gRPC code and what the caller does, and a
/// test keeps the two equal. Code names a reason only through these constants.
/// </summary>
public static class ErrorReasons
{
    // Every RPC: request shape, concurrency, the database, the unexpected.

    /// <summary>INVALID_ARGUMENT: fields of the request break their rules; BadRequest names each.</summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";

    /// <summary>INVALID_ARGUMENT: the request's bytes are not a protobuf message of its type.</summary>
    public const string MalformedRequest = "MALFORMED_REQUEST";

    /// <summary>INVALID_ARGUMENT: a call to an RPC that is not gRPC (another Content-Type, none, or HTTP/1.1 that is not gRPC-Web).</summary>
    public const string NotGrpc = "NOT_GRPC";

    /// <summary>UNIMPLEMENTED: a request message compressed with an encoding other than gzip.</summary>
    public const string EncodingNotSupported = "ENCODING_NOT_SUPPORTED";

    /// <summary>ABORTED: a concurrent change to the same data won; read again and retry.</summary>
    public const string ConcurrentUpdate = "CONCURRENT_UPDATE";

    /// <summary>UNAVAILABLE: the database cannot be reached now; nothing was decided.</summary>
    public const string DatabaseUnavailable = "DATABASE_UNAVAILABLE";

    /// <summary>FAILED_PRECONDITION: a request_id was used before for a request with other parameters.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>INTERNAL: an unexpected failure; only a correlation id is answered.</summary>
    public const string Internal = "INTERNAL";

    // Authentication and identity.

    /// <summary>UNAUTHENTICATED: no authorization header was sent.</summary>
    public const string TokenMissing = "TOKEN_MISSING";

    /// <summary>UNAUTHENTICATED: the authorization header is not 'Bearer &lt;token&gt;'.</summary>
    public const string TokenMalformed = "TOKEN_MALFORMED";

    /// <summary>UNAUTHENTICATED: the bearer token is unknown, or its account no longer exists.</summary>
    public const string TokenInvalid = "TOKEN_INVALID";

    /// <summary>UNAUTHENTICATED: the bearer token has been revoked.</summary>
    public const string TokenRevoked = "TOKEN_REVOKED";

    /// <summary>UNAUTHENTICATED: the bearer token has expired.</summary>
    public const string TokenExpired = "TOKEN_EXPIRED";

    /// <summary>UNAUTHENTICATED: a request header is longer than the host accepts.</summary>
    public const string HeaderTooLarge = "HEADER_TOO_LARGE";

    /// <summary>UNAUTHENTICATED: a sign-in's user name, e-mail address or password is wrong.</summary>
    public const string InvalidCredentials = "INVALID_CREDENTIALS";

    /// <summary>PERMISSION_DENIED: the call needs a console user token (or the operator token).</summary>
    public const string ConsoleUserRequired = "CONSOLE_USER_REQUIRED";

    /// <summary>PERMISSION_DENIED: the call needs the operator token.</summary>
    public const string OperatorRequired = "OPERATOR_REQUIRED";

    /// <summary>ALREADY_EXISTS: a console account with this e-mail address exists.</summary>
    public const string EmailTaken = "EMAIL_TAKEN";

    /// <summary>RESOURCE_EXHAUSTED: too many failed sign-ins from this network address.</summary>
    public const string SignInThrottled = "SIGN_IN_THROTTLED";

    /// <summary>RESOURCE_EXHAUSTED: too many failed guesses (lookups, activation codes) from this network address.</summary>
    public const string GuessesThrottled = "GUESSES_THROTTLED";

    /// <summary>NOT_FOUND: no console account has this e-mail address (<see cref="ResourceTypes.User"/>).</summary>
    public const string UserNotFound = "USER_NOT_FOUND";

    /// <summary>NOT_FOUND: the caller has no API token with this id (<see cref="ResourceTypes.ApiToken"/>).</summary>
    public const string ApiTokenNotFound = "API_TOKEN_NOT_FOUND";

    // Workspaces and members.

    /// <summary>NOT_FOUND: no workspace with this id that the caller may see (<see cref="ResourceTypes.Workspace"/>).</summary>
    public const string WorkspaceNotFound = "WORKSPACE_NOT_FOUND";

    /// <summary>NOT_FOUND: the user is not a member of the workspace (<see cref="ResourceTypes.Member"/>).</summary>
    public const string MemberNotFound = "MEMBER_NOT_FOUND";

    /// <summary>NOT_FOUND: the workspace has no collector token with this id (<see cref="ResourceTypes.CollectorToken"/>).</summary>
    public const string CollectorTokenNotFound = "COLLECTOR_TOKEN_NOT_FOUND";

    /// <summary>PERMISSION_DENIED: only the workspace Owner may do this.</summary>
    public const string OwnerRequired = "OWNER_REQUIRED";

    /// <summary>PERMISSION_DENIED: the caller's role in the workspace may not do this.</summary>
    public const string RoleNotPermitted = "ROLE_NOT_PERMITTED";

    /// <summary>ALREADY_EXISTS: the user is already a member of the workspace.</summary>
    public const string MemberExists = "MEMBER_EXISTS";

    /// <summary>FAILED_PRECONDITION: the Owner's role changes only by TransferOwnership.</summary>
    public const string OwnerRoleFixed = "OWNER_ROLE_FIXED";

    /// <summary>FAILED_PRECONDITION: the Owner cannot be removed from the workspace.</summary>
    public const string OwnerCannotLeave = "OWNER_CANNOT_LEAVE";

    /// <summary>FAILED_PRECONDITION: the new owner already owns the workspace.</summary>
    public const string AlreadyOwner = "ALREADY_OWNER";

    /// <summary>FAILED_PRECONDITION: the workspace has been dissolved (also ends a usage stream).</summary>
    public const string WorkspaceDissolved = "WORKSPACE_DISSOLVED";

    /// <summary>FAILED_PRECONDITION: an experience-plan workspace cannot choose its retention.</summary>
    public const string RetentionFixedOnExperience = "RETENTION_FIXED_ON_EXPERIENCE";

    // Billing accounts, enterprise certification, binding codes, cloud accounts.

    /// <summary>NOT_FOUND: no billing account with this id that the caller may see (<see cref="ResourceTypes.BillingAccount"/>).</summary>
    public const string BillingAccountNotFound = "BILLING_ACCOUNT_NOT_FOUND";

    /// <summary>NOT_FOUND: the billing account has no cloud account with this id (<see cref="ResourceTypes.CloudAccount"/>).</summary>
    public const string CloudAccountNotFound = "CLOUD_ACCOUNT_NOT_FOUND";

    /// <summary>PERMISSION_DENIED: only the billing account itself, signed in, may do this.</summary>
    public const string BillingSessionRequired = "BILLING_SESSION_REQUIRED";

    /// <summary>PERMISSION_DENIED: the call needs a billing-center session or the operator token.</summary>
    public const string BillingCenterOnly = "BILLING_CENTER_ONLY";

    /// <summary>ALREADY_EXISTS: a billing account with this user name (in any case) exists.</summary>
    public const string UsernameTaken = "USERNAME_TAKEN";

    /// <summary>ALREADY_EXISTS: this cloud account and marketplace instance belong to a billing account already.</summary>
    public const string CloudAccountTaken = "CLOUD_ACCOUNT_TAKEN";

    /// <summary>FAILED_PRECONDITION: no billing account issued this binding code.</summary>
    public const string BindingCodeInvalid = "BINDING_CODE_INVALID";

    /// <summary>FAILED_PRECONDITION: the binding code was used already.</summary>
    public const string BindingCodeUsed = "BINDING_CODE_USED";

    /// <summary>FAILED_PRECONDITION: the binding code has expired.</summary>
    public const string BindingCodeExpired = "BINDING_CODE_EXPIRED";

    /// <summary>FAILED_PRECONDITION: the billing account revoked the binding code.</summary>
    public const string BindingCodeRevoked = "BINDING_CODE_REVOKED";

    /// <summary>NOT_FOUND: the billing account has no binding code with this id.</summary>
    public const string BindingCodeNotFound = "BINDING_CODE_NOT_FOUND";

    /// <summary>FAILED_PRECONDITION: a certification is waiting for review already.</summary>
    public const string CertificationPending = "CERTIFICATION_PENDING";

    /// <summary>FAILED_PRECONDITION: the billing account is certified already.</summary>
    public const string CertificationApproved = "CERTIFICATION_APPROVED";

    /// <summary>FAILED_PRECONDITION: the billing account has no certification waiting for review.</summary>
    public const string CertificationNotPending = "CERTIFICATION_NOT_PENDING";

    /// <summary>FAILED_PRECONDITION: workspaces settle through the cloud account that is to be removed.</summary>
    public const string CloudAccountInUse = "CLOUD_ACCOUNT_IN_USE";

    // Wallet: recharges, vouchers, prepaid cards, charges.

    /// <summary>NOT_FOUND: no voucher has this activation code.</summary>
    public const string ActivationCodeNotFound = "ACTIVATION_CODE_NOT_FOUND";

    /// <summary>ALREADY_EXISTS: another voucher has this activation code.</summary>
    public const string ActivationCodeTaken = "ACTIVATION_CODE_TAKEN";

    /// <summary>NOT_FOUND: no Huawei Cloud card order has this order number.</summary>
    public const string HuaweiCardOrderNotFound = "HUAWEI_CARD_ORDER_NOT_FOUND";

    /// <summary>ALREADY_EXISTS: a Huawei Cloud card order with this order number was submitted already (by any account).</summary>
    public const string HuaweiOrderTaken = "HUAWEI_ORDER_TAKEN";

    /// <summary>FAILED_PRECONDITION: the Huawei Cloud card order was decided otherwise already (confirmed, rejected, or confirmed with other units).</summary>
    public const string HuaweiCardOrderDecided = "HUAWEI_CARD_ORDER_DECIDED";

    /// <summary>FAILED_PRECONDITION: the voucher was redeemed already.</summary>
    public const string VoucherAlreadyRedeemed = "VOUCHER_ALREADY_REDEEMED";

    /// <summary>FAILED_PRECONDITION: the voucher's validity has ended.</summary>
    public const string VoucherExpired = "VOUCHER_EXPIRED";

    /// <summary>FAILED_PRECONDITION: a charge reference was charged before with other lines or another account.</summary>
    public const string ReferenceReused = "REFERENCE_REUSED";

    /// <summary>FAILED_PRECONDITION: a charge would take a balance of the account's ledger beyond what it can hold.</summary>
    public const string LedgerLimitExceeded = "LEDGER_LIMIT_EXCEEDED";

    // Prices.

    /// <summary>NOT_FOUND: no price list with this id (<see cref="ResourceTypes.PriceList"/>).</summary>
    public const string PriceListNotFound = "PRICE_LIST_NOT_FOUND";

    /// <summary>ALREADY_EXISTS: the region already has a price list effective from that day.</summary>
    public const string PriceListExists = "PRICE_LIST_EXISTS";

    /// <summary>FAILED_PRECONDITION: no price list of the site's region is in force on the day.</summary>
    public const string NoPriceList = "NO_PRICE_LIST";

    /// <summary>FAILED_PRECONDITION: a day on or after the new list's effective day is closed already.</summary>
    public const string DayAlreadyClosed = "DAY_ALREADY_CLOSED";

    // Settlement: upgrade, binding, settlement method, closing days.

    /// <summary>FAILED_PRECONDITION: the workspace is on the experience plan.</summary>
    public const string NotCommercial = "NOT_COMMERCIAL";

    /// <summary>FAILED_PRECONDITION: the workspace is on the commercial plan already.</summary>
    public const string AlreadyCommercial = "ALREADY_COMMERCIAL";

    /// <summary>FAILED_PRECONDITION: the workspace is bound to this billing account already.</summary>
    public const string AlreadyBound = "ALREADY_BOUND";

    /// <summary>FAILED_PRECONDITION: changing the binding needs both billing accounts certified.</summary>
    public const string CertificationRequired = "CERTIFICATION_REQUIRED";

    /// <summary>FAILED_PRECONDITION: the two billing accounts are certified for different enterprises.</summary>
    public const string EnterpriseMismatch = "ENTERPRISE_MISMATCH";

    /// <summary>FAILED_PRECONDITION: the workspace settles through a cloud account and keeps its billing account.</summary>
    public const string SettlesThroughCloudAccount = "SETTLES_THROUGH_CLOUD_ACCOUNT";

    /// <summary>FAILED_PRECONDITION: the paying billing account is in arrears.</summary>
    public const string ArrearsOutstanding = "ARREARS_OUTSTANDING";

    /// <summary>FAILED_PRECONDITION: the site or activation channel does not allow this settlement method.</summary>
    public const string SettlementMethodNotAllowed = "SETTLEMENT_METHOD_NOT_ALLOWED";

    /// <summary>FAILED_PRECONDITION: the workspace settles through a cloud subscription that is not cancelled.</summary>
    public const string CloudLockIn = "CLOUD_LOCK_IN";

    /// <summary>FAILED_PRECONDITION: the settlement method changed already this calendar month.</summary>
    public const string SettlementMethodChangedThisMonth = "SETTLEMENT_METHOD_CHANGED_THIS_MONTH";

    /// <summary>FAILED_PRECONDITION: a marketplace-activated workspace upgrades only with a cloud account of its marketplace.</summary>
    public const string CloudAccountRequired = "CLOUD_ACCOUNT_REQUIRED";

    /// <summary>FAILED_PRECONDITION: the cloud account is of another provider than the method or marketplace needs.</summary>
    public const string CloudProviderMismatch = "CLOUD_PROVIDER_MISMATCH";

    /// <summary>FAILED_PRECONDITION: the billing day to close has not ended yet.</summary>
    public const string DayNotEnded = "DAY_NOT_ENDED";

    // Cloud marketplaces and monthly bills.

    /// <summary>NOT_FOUND: no metering record with this id (<see cref="ResourceTypes.MeteringRecord"/>).</summary>
    public const string MeteringRecordNotFound = "METERING_RECORD_NOT_FOUND";

    /// <summary>FAILED_PRECONDITION: only an AWS metering record that expired (not accepted within AWS's 6 hours) can be reissued.</summary>
    public const string MeteringRecordNotExpired = "METERING_RECORD_NOT_EXPIRED";

    /// <summary>FAILED_PRECONDITION: AWS has a record of the customer and dimension in this hour; the reissue waits for the next hour.</summary>
    public const string MeteringHourTaken = "METERING_HOUR_TAKEN";

    /// <summary>NOT_FOUND: no monthly bill with this id that the caller may see (<see cref="ResourceTypes.MonthlyBill"/>).</summary>
    public const string MonthlyBillNotFound = "MONTHLY_BILL_NOT_FOUND";

    // Usage ingestion (docs/ingestion.md says what an agent does with each).

    /// <summary>PERMISSION_DENIED: usage is reported with a collector token of the workspace.</summary>
    public const string CollectorTokenRequired = "COLLECTOR_TOKEN_REQUIRED";

    /// <summary>NOT_FOUND: the workspace has no collector with this id (<see cref="ResourceTypes.Collector"/>).</summary>
    public const string CollectorNotFound = "COLLECTOR_NOT_FOUND";

    /// <summary>INVALID_ARGUMENT: a record names a billing item the host does not know.</summary>
    public const string UnknownBillingItem = "UNKNOWN_BILLING_ITEM";

    /// <summary>INVALID_ARGUMENT: a record's quantity is below 0.</summary>
    public const string NegativeQuantity = "NEGATIVE_QUANTITY";

    /// <summary>INVALID_ARGUMENT: a record's quantity is above the largest one accepted.</summary>
    public const string QuantityTooLarge = "QUANTITY_TOO_LARGE";

    /// <summary>INVALID_ARGUMENT: a record has no observed_at.</summary>
    public const string ObservedAtMissing = "OBSERVED_AT_MISSING";

    /// <summary>INVALID_ARGUMENT: a record was observed further ahead of the host's clock than the skew allowed.</summary>
    public const string ObservedInFuture = "OBSERVED_IN_FUTURE";

    /// <summary>INVALID_ARGUMENT: a record was observed before 2000-01-01 (an unset clock).</summary>
    public const string ObservedTooOld = "OBSERVED_TOO_OLD";

    /// <summary>INVALID_ARGUMENT: a batch has more records than the host accepts.</summary>
    public const string TooManyRecords = "TOO_MANY_RECORDS";

    /// <summary>INVALID_ARGUMENT: a batch's sequence is not above the previous one of the stream.</summary>
    public const string SequenceNotRising = "SEQUENCE_NOT_RISING";

    /// <summary>INVALID_ARGUMENT: a batch's sequence lies too far above the collector's mark and the clock.</summary>
    public const string SequenceTooFarAhead = "SEQUENCE_TOO_FAR_AHEAD";

    /// <summary>FAILED_PRECONDITION: the billing day of records is closed to late records.</summary>
    public const string DayClosed = "DAY_CLOSED";

    /// <summary>FAILED_PRECONDITION: the workspace is locked for arrears.</summary>
    public const string WorkspaceLocked = "WORKSPACE_LOCKED";

    /// <summary>FAILED_PRECONDITION: the item is not available to experience-plan workspaces on the site.</summary>
    public const string ItemNotAvailableOnExperience = "ITEM_NOT_AVAILABLE_ON_EXPERIENCE";

    /// <summary>FAILED_PRECONDITION: the item is retired and this host does not accept it.</summary>
    public const string ItemNotEnabled = "ITEM_NOT_ENABLED";

    /// <summary>FAILED_PRECONDITION: the item is not offered on the workspace's site.</summary>
    public const string ItemNotOfferedOnSite = "ITEM_NOT_OFFERED_ON_SITE";

    /// <summary>FAILED_PRECONDITION: a stream did not send its open within the open timeout.</summary>
    public const string OpenTimeout = "OPEN_TIMEOUT";

    /// <summary>RESOURCE_EXHAUSTED: the batch would pass the experience plan's free quota of the day.</summary>
    public const string ExperienceQuotaExhausted = "EXPERIENCE_QUOTA_EXHAUSTED";

    /// <summary>RESOURCE_EXHAUSTED: a request message is larger than its method takes.</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";

    /// <summary>RESOURCE_EXHAUSTED: the batch would take a billing day of an item past the most one day may hold.</summary>
    public const string DayQuantityLimitExceeded = "DAY_QUANTITY_LIMIT_EXCEEDED";

    /// <summary>RESOURCE_EXHAUSTED: more batches were sent unanswered than the stream's window.</summary>
    public const string TooManyBatchesInFlight = "TOO_MANY_BATCHES_IN_FLIGHT";

    /// <summary>RESOURCE_EXHAUSTED: the collector has the most open streams allowed on this host.</summary>
    public const string TooManyStreams = "TOO_MANY_STREAMS";

    /// <summary>RESOURCE_EXHAUSTED: the collector token has the most StreamUsage calls allowed on this host.</summary>
    public const string TooManyTokenStreams = "TOO_MANY_TOKEN_STREAMS";

    /// <summary>RESOURCE_EXHAUSTED: the host serves the most StreamUsage calls it allows.</summary>
    public const string HostStreamsExhausted = "HOST_STREAMS_EXHAUSTED";

    /// <summary>UNAVAILABLE: the host is stopping; what was answered stands.</summary>
    public const string HostStopping = "HOST_STOPPING";

    /// <summary>UNAVAILABLE: a batch could not be committed.</summary>
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";

    /// <summary>UNAVAILABLE: the workspace was upgraded while the stream was open; its batches are read again from a new stream.</summary>
    public const string WorkspacePlanChanged = "WORKSPACE_PLAN_CHANGED";

    // Invoices.

    /// <summary>NOT_FOUND: no invoice with this id that the caller may see.</summary>
    public const string InvoiceNotFound = "INVOICE_NOT_FOUND";

    /// <summary>NOT_FOUND: the billing account has no invoice information with this id.</summary>
    public const string InvoiceInfoNotFound = "INVOICE_INFO_NOT_FOUND";

    /// <summary>NOT_FOUND: the billing account has no monthly bill or prepaid card with this id to invoice.</summary>
    public const string InvoiceSourceNotFound = "INVOICE_SOURCE_NOT_FOUND";

    /// <summary>NOT_FOUND: the billing account has no mailing address with this id.</summary>
    public const string MailingAddressNotFound = "MAILING_ADDRESS_NOT_FOUND";

    /// <summary>ALREADY_EXISTS: another invoice has this invoice number.</summary>
    public const string InvoiceNumberTaken = "INVOICE_NUMBER_TAKEN";

    /// <summary>FAILED_PRECONDITION: the account keeps the most sets of invoice information allowed.</summary>
    public const string TooManyInvoiceInfos = "TOO_MANY_INVOICE_INFOS";

    /// <summary>FAILED_PRECONDITION: the account keeps the most mailing addresses allowed.</summary>
    public const string TooManyMailingAddresses = "TOO_MANY_MAILING_ADDRESSES";

    /// <summary>FAILED_PRECONDITION: the account has the most invoice requests pending allowed.</summary>
    public const string TooManyPendingInvoices = "TOO_MANY_PENDING_INVOICES";

    /// <summary>FAILED_PRECONDITION: a source has less left to invoice than asked (or nothing).</summary>
    public const string InvoiceBalanceExceeded = "INVOICE_BALANCE_EXCEEDED";

    /// <summary>FAILED_PRECONDITION: the invoice's state does not allow the change (metadata state).</summary>
    public const string InvoiceStateConflict = "INVOICE_STATE_CONFLICT";

    /// <summary>FAILED_PRECONDITION: marking an electronic invoice mailed.</summary>
    public const string InvoiceNotPaper = "INVOICE_NOT_PAPER";

    /// <summary>FAILED_PRECONDITION: the invoice has no document (only issued electronic invoices have one).</summary>
    public const string InvoiceDocumentMissing = "INVOICE_DOCUMENT_MISSING";

    // Tickets (docs/domain.md §8).

    /// <summary>NOT_FOUND: no ticket with this id that the caller may see.</summary>
    public const string TicketNotFound = "TICKET_NOT_FOUND";

    /// <summary>NOT_FOUND: no attachment with this id on a ticket that the caller may see.</summary>
    public const string TicketAttachmentNotFound = "TICKET_ATTACHMENT_NOT_FOUND";

    /// <summary>PERMISSION_DENIED: tickets need a billing-center session, a console user token or the operator token.</summary>
    public const string TicketCallerRequired = "TICKET_CALLER_REQUIRED";

    /// <summary>PERMISSION_DENIED: only the submitter's side (the billing account or a workspace member) may do this.</summary>
    public const string TicketSubmitterRequired = "TICKET_SUBMITTER_REQUIRED";

    /// <summary>FAILED_PRECONDITION: the ticket's state does not allow this (metadata state).</summary>
    public const string WrongTicketState = "WRONG_TICKET_STATE";

    /// <summary>FAILED_PRECONDITION: the ticket was rated already.</summary>
    public const string TicketAlreadyRated = "TICKET_ALREADY_RATED";

    // Webhooks.

    /// <summary>NOT_FOUND: no webhook endpoint with this id that the caller may see.</summary>
    public const string WebhookEndpointNotFound = "WEBHOOK_ENDPOINT_NOT_FOUND";

    /// <summary>NOT_FOUND: no webhook delivery with this id that the caller may see.</summary>
    public const string WebhookDeliveryNotFound = "WEBHOOK_DELIVERY_NOT_FOUND";

    /// <summary>FAILED_PRECONDITION: the account keeps the most webhook endpoints allowed.</summary>
    public const string TooManyWebhookEndpoints = "TOO_MANY_WEBHOOK_ENDPOINTS";

    /// <summary>FAILED_PRECONDITION: the delivery's endpoint is disabled, so it cannot be sent again.</summary>
    public const string WebhookEndpointDisabled = "WEBHOOK_ENDPOINT_DISABLED";

    // Simulated clock and jobs (test and demo hosts).

    /// <summary>FAILED_PRECONDITION: AdvanceClock on a host that runs on the system clock.</summary>
    public const string ClockNotSimulated = "CLOCK_NOT_SIMULATED";

    /// <summary>FAILED_PRECONDITION: a job failed while the clock advanced; the clock stays there.</summary>
    public const string JobFailed = "JOB_FAILED";
}
